package org.roundtable.digest;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.roundtable.security.SignedLinks;
import org.roundtable.security.Viewer;
import org.roundtable.web.DomainException;

/**
 * One-click unsubscribe from digests (RFC 8058), without a login: the signed token in the link is the authority.
 * {@code GET /digest/unsubscribe?token=...} shows a confirm page; {@code POST} to the same address (a mail client's
 * one-click request with the body {@code List-Unsubscribe=One-Click}, or the confirm page's button) turns digests off.
 * <p>
 * This is a plain Vert.x route, outside the REST layer, and the one state-changing page route the CSRF checks leave
 * alone ({@code web/CsrfCheck}, {@code web/BrowserGuard}): a mail client's one-click POST carries no session and cannot
 * carry a token. CSRF protection is not needed here: the request is authorised by the unguessable, purpose-bound,
 * expiring token in its URL, not by a cookie.
 */
@ApplicationScoped
public class UnsubscribeRoute {

    public static final String PATH = "/digest/unsubscribe";

    private final SignedLinks links;
    private final PreferenceService preferences;
    private final Template confirm;
    private final Template done;
    private final Template error;

    public UnsubscribeRoute(SignedLinks links, PreferenceService preferences,
            @Location("UnsubscribePage/confirm") Template confirm, @Location("UnsubscribePage/done") Template done,
            @Location("ErrorPage/error") Template error) {
        this.links = links;
        this.preferences = preferences;
        this.confirm = confirm;
        this.done = done;
        this.error = error;
    }

    void register(@Observes Router router) {
        router.route(PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> handle(ctx, false));
        router.route(PATH).method(HttpMethod.POST).handler(ctx -> handle(ctx, true));
    }

    private void handle(RoutingContext ctx, boolean unsubscribe) {
        String token = ctx.request().getParam("token");
        long member;
        try {
            Map<String, Object> claims = links.verify(token, DigestMail.UNSUBSCRIBE);
            member = Long.parseLong(String.valueOf(claims.get("sub")));
        } catch (DomainException | NumberFormatException e) {
            String detail = e instanceof DomainException d ? d.getMessage() : "This link is not valid.";
            render(ctx, 400, error.data("viewer", Viewer.GUEST).data("status", 400).data("title", "This link does not work")
                    .data("detail", detail + " Nothing was changed. You can change your digest on your preferences page "
                            + "after logging in."));
            return;
        }
        if (!unsubscribe) {
            render(ctx, 200, confirm.data("viewer", Viewer.GUEST).data("token", token));
            return;
        }
        preferences.turnDigestsOff(member).subscribe().with(
                x -> render(ctx, 200, done.data("viewer", Viewer.GUEST)),
                failure -> ctx.fail(failure));
    }

    private static void render(RoutingContext ctx, int status, TemplateInstance page) {
        Uni<String> html = page.createUni();
        html.subscribe().with(body -> ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(body), ctx::fail);
    }
}
