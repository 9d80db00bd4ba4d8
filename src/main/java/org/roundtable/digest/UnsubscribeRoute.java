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
import java.util.function.LongFunction;
import org.roundtable.security.SignedLinks;
import org.roundtable.security.Viewer;
import org.roundtable.problem.DomainException;
import org.roundtable.web.BrowserGuard;

/**
 * One-click unsubscribe (RFC 8058), without a login: the signed token in the link is the authority. Two addresses, each
 * with tokens of its own purpose: {@code /digest/unsubscribe} turns digests off, {@code /mentions/unsubscribe} turns
 * mention mails off; a token made for one is refused by the other. {@code GET} shows a confirm page; {@code POST} to
 * the same address (a mail client's one-click request with the body {@code List-Unsubscribe=One-Click}, or the confirm
 * page's button) makes the change.
 * <p>
 * These are plain Vert.x routes, outside the REST layer, and the state-changing page routes the CSRF checks leave
 * alone ({@code web/CsrfCheck}, {@code web/BrowserGuard}): a mail client's one-click POST carries no session and cannot
 * carry a token. CSRF protection is not needed here: the request is authorised by the unguessable, purpose-bound,
 * expiring token in its URL, not by a cookie.
 */
@ApplicationScoped
public class UnsubscribeRoute {

    public static final String PATH = BrowserGuard.DIGEST_UNSUBSCRIBE;
    public static final String MENTIONS_PATH = BrowserGuard.MENTIONS_UNSUBSCRIBE;

    /** What one address turns off: its path, the purpose its tokens carry, the change, and the word its pages use. */
    private record Kind(String path, String purpose, LongFunction<Uni<Void>> turnOff, String what) {
    }

    private final SignedLinks links;
    private final Template confirm;
    private final Template done;
    private final Template error;
    private final Kind digests;
    private final Kind mentions;

    public UnsubscribeRoute(SignedLinks links, PreferenceService preferences,
            @Location("UnsubscribePage/confirm") Template confirm, @Location("UnsubscribePage/done") Template done,
            @Location("ErrorPage/error") Template error) {
        this.links = links;
        this.confirm = confirm;
        this.done = done;
        this.error = error;
        this.digests = new Kind(PATH, DigestMail.UNSUBSCRIBE, preferences::turnDigestsOff, "digests");
        this.mentions = new Kind(MENTIONS_PATH, DigestMail.MENTION_UNSUBSCRIBE, preferences::turnMentionMailsOff, "mentions");
    }

    void register(@Observes Router router) {
        for (Kind kind : new Kind[] { digests, mentions }) {
            router.route(kind.path()).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> handle(ctx, kind, false));
            router.route(kind.path()).method(HttpMethod.POST).handler(ctx -> handle(ctx, kind, true));
        }
    }

    private void handle(RoutingContext ctx, Kind kind, boolean unsubscribe) {
        String token = ctx.request().getParam("token");
        long member;
        try {
            Map<String, Object> claims = links.verify(token, kind.purpose());
            member = Long.parseLong(String.valueOf(claims.get("sub")));
        } catch (DomainException | NumberFormatException e) {
            String detail = e instanceof DomainException d ? d.getMessage() : "This link is not valid.";
            render(ctx, 400, error.data("viewer", Viewer.GUEST).data("status", 400).data("title", "This link does not work")
                    .data("detail", detail + " Nothing was changed. You can choose which mails you get on your "
                            + "preferences page after logging in."));
            return;
        }
        if (!unsubscribe) {
            render(ctx, 200, confirm.data("viewer", Viewer.GUEST).data("token", token).data("path", kind.path())
                    .data("what", kind.what()));
            return;
        }
        kind.turnOff().apply(member).subscribe().with(
                x -> render(ctx, 200, done.data("viewer", Viewer.GUEST).data("what", kind.what())),
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
