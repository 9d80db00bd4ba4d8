package org.roundtable.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roundtable.security.Viewer;

/**
 * What every browser request passes before any route (a Vert.x filter, so routes outside the REST layer too):
 * <ul>
 * <li>A state-changing request to a page address from another origin is refused with a 403 page: the browser says so
 * in {@code Sec-Fetch-Site} (anything but {@code same-origin} or {@code none}), or, where it sends no such header, in
 * {@code Origin}. This is the second line of OWASP's CSRF advice; the first is the session's token
 * ({@link CsrfCheck}), required whether or not the browser sent these headers.</li>
 * <li>Every HTML response is {@code Cache-Control: no-store} unless its route chose otherwise: pages show a member's
 * own things (and error pages a member's header), which no browser or proxy cache may keep.</li>
 * </ul>
 */
@ApplicationScoped
public class BrowserGuard {

    /**
     * The one-click unsubscribe addresses of the mails (RFC 8058, digest/UnsubscribeRoute): a mail client's POST carries
     * no session and no Origin of ours, and needs none, since the signed token in its URL authorises it. The one
     * state-changing page addresses this guard and {@link CsrfCheck} leave alone; listed here, where the exemption is.
     */
    public static final String DIGEST_UNSUBSCRIBE = "/digest/unsubscribe";
    public static final String MENTIONS_UNSUBSCRIBE = "/mentions/unsubscribe";

    private final Template error;
    private final String baseOrigin;

    public BrowserGuard(@Location("ErrorPage/error") Template error,
            @ConfigProperty(name = "roundtable.base-url") String baseUrl) {
        this.error = error;
        this.baseOrigin = origin(baseUrl);
    }

    /** Whether a request of this method to this path may change something and is a page's (not the API's). */
    public static boolean changesState(String method, String path) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> false;
            default -> path != null && !path.equals("/api") && !path.startsWith("/api/")
                    && !path.equals(DIGEST_UNSUBSCRIBE) && !path.equals(MENTIONS_UNSUBSCRIBE);
        };
    }

    /** Before authentication (Quarkus's security handlers come after filters of this priority). */
    void register(@Observes Filters filters) {
        filters.register(this::handle, 10_000);
    }

    private void handle(RoutingContext ctx) {
        ctx.addHeadersEndHandler(x -> noStoreForHtml(ctx.response()));
        if (changesState(ctx.request().method().name(), ctx.normalizedPath()) && fromElsewhere(ctx)) {
            String html = error.data("viewer", Viewer.GUEST).data("status", 403).data("title", "This form could not be sent")
                    .data("detail", "It was sent from another site, not from a Roundtable page. Nothing was changed.")
                    .render();
            ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8").end(html);
            return;
        }
        ctx.next();
    }

    private boolean fromElsewhere(RoutingContext ctx) {
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !site.equals("same-origin") && !site.equals("none");
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return false; // an older browser or not a browser: the token alone decides
        }
        String own = ctx.request().scheme() + "://" + ctx.request().getHeader(HttpHeaders.HOST);
        return !origin.equalsIgnoreCase(own) && !origin.equalsIgnoreCase(baseOrigin);
    }

    private static void noStoreForHtml(HttpServerResponse response) {
        String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.startsWith("text/html") && !response.headers().contains(HttpHeaders.CACHE_CONTROL)) {
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    /** scheme://host[:port] of a URL, as a browser writes it in Origin (no default port). */
    static String origin(String url) {
        URI uri = URI.create(url.strip());
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 80 && "http".equals(uri.getScheme()))
                || (port == 443 && "https".equals(uri.getScheme()));
        return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
    }
}
