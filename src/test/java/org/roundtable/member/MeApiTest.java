package org.roundtable.member;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;

@QuarkusTest
class MeApiTest {

    @Test
    void shouldReturnAliceForARealTokenFromKeycloak() {
        given().auth().oauth2(Keycloak.token("alice"))
                .when().get("/api/me")
                .then().statusCode(200)
                .body("username", equalTo("alice"))
                .body("name", equalTo("Alice Alvarez"))
                .body("email", equalTo("alice@demo.roundtable.test"))
                .body("roles", hasItem("member"))
                .body("roles", not(hasItem("admin")))
                .body("id", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void shouldCarryRealmRolesOfFacilitatorsAndAdmins() {
        given().auth().oauth2(Keycloak.token("fran")).get("/api/me")
                .then().statusCode(200).body("roles", hasItems("member", "facilitator"));
        given().auth().oauth2(Keycloak.token("ada")).get("/api/me")
                .then().statusCode(200).body("roles", hasItems("member", "admin"));
    }

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().when().get("/api/me")
                .then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Not authenticated"))
                .body("detail", containsString("bearer token"));
    }

    @Test
    void shouldAnswer401ForATamperedToken() {
        String token = Keycloak.token("bob");
        String[] parts = token.split("\\.");
        // Re-sign nothing: swap the payload for alice's, keep bob's signature.
        String alicePayload = Keycloak.token("alice").split("\\.")[1];
        given().auth().oauth2(parts[0] + "." + alicePayload + "." + parts[2])
                .when().get("/api/me")
                .then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownApiRoute() {
        given().auth().oauth2(Keycloak.token("alice"))
                .when().get("/api/no-such-thing")
                .then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(404));
    }
}
