package org.roundtable.web;

import org.roundtable.problem.DomainException;
import io.vertx.ext.web.RoutingContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.roundtable.security.CsrfTokens;

/**
 * The CSRF check of every state-changing page request: a method other than GET, HEAD and OPTIONS, outside {@code /api}
 * (bearer tokens only, never a cookie) must carry the token of its own session ({@link CsrfTokens}) in the form field
 * {@value CsrfTokens#FIELD} or the header {@value CsrfTokens#HEADER}, whatever its content type: a request with no body,
 * no content type, or another session's token is refused with a 403 page and changes nothing. The one-click unsubscribe
 * route is a plain Vert.x route, authorised by the signed token in its URL, and never reaches this filter.
 * {@link BrowserGuard} checks where the request came from (Sec-Fetch-Site, Origin) before this, as a second line.
 */
public class CsrfCheck {

    private final CsrfTokens tokens;

    public CsrfCheck(CsrfTokens tokens) {
        this.tokens = tokens;
    }

    /** The form is read first ({@link WithFormRead}), also for routes that declare no form field. */
    @ServerRequestFilter
    @WithFormRead
    public void check(ResteasyReactiveContainerRequestContext context, RoutingContext routing) {
        if (!BrowserGuard.changesState(context.getMethod(), routing.normalizedPath())) {
            return;
        }
        String presented = routing.request().getHeader(CsrfTokens.HEADER);
        if (presented == null && context.getServerRequestContext() instanceof ResteasyReactiveRequestContext request
                && request.getFormParameter(CsrfTokens.FIELD, true, false) instanceof String field) {
            presented = field;
        }
        if (!tokens.matches(routing, presented)) {
            throw new Refused();
        }
    }

    /** The page a refused form gets: what happened, that nothing changed, and what to do. */
    public static final class Refused extends DomainException {
        public Refused() {
            super(403, "This form could not be sent",
                    "It did not come from a page of your current session: it may be older than your last login, or "
                            + "another site may have tried to send it for you. Nothing was changed. Go back, reload "
                            + "the page and send it again.",
                    null);
        }
    }
}
