package org.roundtable.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new login while Keycloak does not answer (issue 18, docs/reliability.md "Keycloak"): Roundtable's own page, 503
 * with Retry-After and words a person can act on, instead of the redirect to a server that does not answer (the
 * browser's error page). The suite's Keycloak is shared by every test class and is not stopped: the component is put
 * on a router of its own in front of a stand-in for the authorization check (the redirect to Keycloak), once pointed at
 * a real closed port on this machine, once at the suite's Keycloak.
 */
@QuarkusTest
class LoginAvailabilityTest {

    @Inject
    Vertx vertx;

    @Inject
    @Location("ErrorPage/error")
    Template error;

    @ConfigProperty(name = "roundtable.keycloak.url")
    String keycloak;

    @ConfigProperty(name = "roundtable.keycloak.realm")
    String realm;

    private HttpServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The component on a router of its own; what it lets through meets the redirect to Keycloak the app would send. */
    private int serve(String keycloakUrl) throws Exception {
        Router router = Router.router(vertx);
        new LoginAvailability(vertx, keycloakUrl, realm, error).register(router);
        router.route("/login").handler(ctx -> ctx.response().setStatusCode(302)
                .putHeader("Location", keycloakUrl + "/realms/" + realm + "/protocol/openid-connect/auth").end());
        server = vertx.createHttpServer().requestHandler(router).listen(0)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed when this returns: a connection to it is refused
        }
    }

    private static Response login(int port, String cookie) {
        var request = given().baseUri("http://localhost").port(port).redirects().follow(false);
        if (cookie != null) {
            request = request.cookie(cookie, "a-session");
        }
        return request.get("/login");
    }

    @Test
    void shouldAnswerANewLoginWith503RetryAfterAndAPageAPersonCanActOnWhileKeycloakDoesNotAnswer() throws Exception {
        int port = serve("http://127.0.0.1:" + closedPort());

        for (int i = 0; i < 2; i++) { // the first probes Keycloak, the second may use what it found
            Response response = login(port, null);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.header("Retry-After")).isEqualTo(String.valueOf(LoginAvailability.RETRY_AFTER_SECONDS));
            assertThat(response.header("Content-Type")).startsWith("text/html");
            assertThat(response.header("Location")).isNull();
            Document page = Jsoup.parse(response.asString());
            assertThat(page.select("section.error-page").attr("data-status")).isEqualTo("503");
            assertThat(page.select("h1").text()).isEqualTo("Logging in is not possible just now");
            assertThat(page.select("p.detail").text())
                    .contains("Members who are logged in can go on reading and writing")
                    .contains("try to log in again in a minute");
            assertThat(page.select("section.error-page a[href=/]").text()).isEqualTo("Back to the home page");
        }

        // A member with a session is not concerned: their request goes on to the authorization check.
        assertThat(login(port, "q_session").statusCode()).isEqualTo(302);
    }

    @Test
    void shouldLetANewLoginGoOnToKeycloakWhileItAnswers() throws Exception {
        int port = serve(keycloak);

        Response response = login(port, null);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.header("Location")).startsWith(keycloak + "/realms/" + realm + "/");
    }
}
