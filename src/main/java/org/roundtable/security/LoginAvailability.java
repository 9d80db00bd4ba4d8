package org.roundtable.security;

import io.quarkus.logging.Log;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A new login while Keycloak is down gets a clear page from Roundtable (503, Retry-After), not a redirect to a server
 * that does not answer (a browser error page). Members already logged in are not concerned: their sessions and tokens
 * are checked here, with Keycloak's keys fetched before (docs/reliability.md, "Keycloak").
 *
 * <p>Only {@code GET /login} without a session cookie is looked at, before authentication: its answer would be the
 * redirect to Keycloak. Whether Keycloak answers is known from a probe of its realm's discovery document, at most one
 * every {@value #PROBE_EVERY_MS} ms (its answer within 2 s), so a burst of logins costs one request to Keycloak.
 */
@ApplicationScoped
public class LoginAvailability {

    static final long PROBE_EVERY_MS = 3000;

    /**
     * Seconds the login page asks a browser to wait before trying again while Keycloak does not answer (RFC 9110,
     * 10.2.3): long enough for a Keycloak restart, the page's own words say "in a minute". The app's other 503s say
     * {@link org.roundtable.web.AdmissionLimit#RETRY_AFTER_SECONDS} (busy) and
     * {@link org.roundtable.db.Unavailable#RETRY_AFTER_SECONDS} (PostgreSQL out of reach).
     */
    public static final int RETRY_AFTER_SECONDS = 30;

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String path;
    private final Template error;
    private HttpClient client;
    private volatile long probedAt;
    private volatile boolean up = true;

    public LoginAvailability(Vertx vertx, @ConfigProperty(name = "roundtable.keycloak.url") String keycloak,
            @ConfigProperty(name = "roundtable.keycloak.realm") String realm, @Location("ErrorPage/error") Template error) {
        this.vertx = vertx;
        URI uri = URI.create(keycloak);
        this.ssl = "https".equalsIgnoreCase(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        this.path = (uri.getPath() == null ? "" : uri.getPath().replaceAll("/$", "")) + "/realms/" + realm
                + "/.well-known/openid-configuration";
        this.error = error;
    }

    /** Before the authorization check that would send the redirect (Quarkus installs it as route order -100). */
    void register(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions().setSsl(ssl).setConnectTimeout(2000).setIdleTimeout(5));
        router.route(HttpMethod.GET, "/login").order(-150).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        boolean session = ctx.request().cookies().stream().anyMatch(c -> c.getName().startsWith("q_session"));
        if (session) {
            ctx.next();
            return;
        }
        long now = System.currentTimeMillis();
        if (now - probedAt < PROBE_EVERY_MS) {
            answer(ctx, up);
            return;
        }
        probedAt = now;
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(path)
                .setTimeout(2000))
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> response.statusCode() == 200))
                .onComplete(result -> {
                    boolean ok = result.succeeded() && result.result();
                    if (ok != up) {
                        Log.warnf("Keycloak %s for new logins (%s)", ok ? "is back" : "does not answer",
                                result.failed() ? result.cause().toString() : "status not 200");
                    }
                    up = ok;
                    answer(ctx, ok);
                });
    }

    private void answer(RoutingContext ctx, boolean keycloakUp) {
        if (keycloakUp) {
            ctx.next();
            return;
        }
        String html = error.data("viewer", Viewer.GUEST).data("status", 503).data("title", "Logging in is not possible just now")
                .data("detail", "The login service does not answer. Members who are logged in can go on reading and writing; "
                        + "please try to log in again in a minute.")
                .render();
        ctx.response().setStatusCode(503).putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                .putHeader("Content-Type", "text/html;charset=UTF-8").putHeader("Cache-Control", "no-store").end(html);
    }
}
