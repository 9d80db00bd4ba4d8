package org.roundtable.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Sessions;

/**
 * /api takes access tokens minted for Roundtable's API only: real tokens of the realm, from another client (no
 * roundtable-web audience; without the "basic" scope no subject either) or an ID token, get 401 problem+json on every
 * route, never a 500, and never what the token's member could see.
 */
@QuarkusTest
class ApiTokenTest {

    static final List<String> ROUTES = List.of("/api/me", "/api/channels", "/api/notifications", "/api/follows");

    @Inject
    Pool pool;

    @Test
    void shouldAnswer401ToATokenOfAnotherClientWithoutAudienceOrSubject() {
        String token = (String) Keycloak.tokens("roundtable-other", "carmen", "openid email").get("access_token");
        assertThat(claims(token)).doesNotContain("\"sub\"").doesNotContain("roundtable-web");
        for (String route : ROUTES) {
            refused(token, route);
        }
    }

    @Test
    void shouldAnswer401ToATokenOfAnotherClientThatNamesItsMemberButNotTheApi() {
        String token = (String) Keycloak.tokens("roundtable-other", "carmen", "openid basic email").get("access_token");
        assertThat(claims(token)).contains("\"sub\"").doesNotContain("roundtable-web");
        for (String route : ROUTES) {
            refused(token, route);
        }
    }

    @Test
    void shouldAnswer401ToAnIdTokenOfThePages() {
        Sessions.cookies("carmen");
        // The pages' ID token names roundtable-web as its audience: it must still not pass for an access token.
        String idToken = pool.preparedQuery("""
                select s.id_token from web_session s join member m on m.subject = s.subject
                where m.username = $1 and s.expires_at > now() order by s.created_at desc limit 1
                """).execute(Tuple.of("carmen")).await().indefinitely().iterator().next().getString("id_token");
        assertThat(claims(idToken)).contains("roundtable-web").contains("\"typ\":\"ID\"");
        refused(idToken, "/api/me");
    }

    @Test
    void shouldTakeATokenOfTheApiClient() {
        given().auth().oauth2(Keycloak.token("carmen")).get("/api/me").then().statusCode(200)
                .body("username", equalTo("carmen"));
    }

    private static void refused(String token, String route) {
        given().auth().oauth2(token).get(route).then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(401));
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
