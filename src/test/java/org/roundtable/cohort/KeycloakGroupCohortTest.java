package org.roundtable.cohort;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

/** Cohorts linked to a Keycloak group: membership follows the token's groups claim at each login. */
@QuarkusTest
class KeycloakGroupCohortTest {

    static RequestSpecification withToken(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void shouldFollowTheGroupsClaimAtEachLoginAddedAndRemoved() {
        String admin = TestData.member("admin", "admin");
        String group = Keycloak.uniqueUsername("district");
        String groupId = Keycloak.createGroup(group);
        String username = Keycloak.uniqueUsername("principal");
        String userId = Keycloak.createUser(username, "Pat", "Principal");
        Keycloak.joinGroup(userId, groupId);
        String slug = "kc-" + Keycloak.uniqueUsername("c");
        withToken(Keycloak.token(admin)).body(Map.of("slug", slug, "name", "District leaders", "keycloakGroup", group))
                .post("/api/cohorts").then().statusCode(201).body("managedByIdentityProvider", equalTo(true));

        // First login: in the group, so in the cohort.
        String first = Keycloak.newToken(username);
        withToken(first).get("/api/cohorts/" + slug).then().statusCode(200)
                .body("cohort.myRole", equalTo("member"))
                .body("cohort.managedByIdentityProvider", equalTo(true))
                .body("cohort.keycloakGroup", org.hamcrest.Matchers.nullValue());

        // Members cannot leave, facilitators cannot invite or remove: the identity provider decides.
        withToken(first).delete("/api/cohorts/" + slug + "/membership").then().statusCode(409);
        withToken(Keycloak.token(admin)).body(Map.of()).post("/api/cohorts/" + slug + "/invitations").then().statusCode(409);
        withToken(Keycloak.token(admin)).delete("/api/cohorts/" + slug + "/members/" + username).then().statusCode(409);

        // Removed from the group: at the next login, out of the cohort.
        Keycloak.leaveGroup(userId, groupId);
        String second = Keycloak.newToken(username);
        withToken(second).get("/api/cohorts/" + slug).then().statusCode(404);

        // Back in the group: back in the cohort.
        Keycloak.joinGroup(userId, groupId);
        withToken(Keycloak.newToken(username)).get("/api/cohorts/" + slug).then().statusCode(200);
    }

    @Test
    void shouldApplyALinkMadeAfterMembersLoggedIn() {
        String admin = TestData.member("admin", "admin");
        String group = Keycloak.uniqueUsername("network");
        String groupId = Keycloak.createGroup(group);
        String username = Keycloak.uniqueUsername("lead");
        String userId = Keycloak.createUser(username, "Lee", "Lead");
        Keycloak.joinGroup(userId, groupId);
        String token = Keycloak.newToken(username);
        withToken(token).get("/api/me").then().statusCode(200);

        String slug = "kc-" + Keycloak.uniqueUsername("c");
        withToken(Keycloak.token(admin)).body(Map.of("slug", slug, "name", "Linked later")).post("/api/cohorts")
                .then().statusCode(201).body("managedByIdentityProvider", equalTo(false));
        withToken(token).get("/api/cohorts/" + slug).then().statusCode(404);
        withToken(Keycloak.token(admin)).body(Map.of("keycloakGroup", group)).patch("/api/cohorts/" + slug)
                .then().statusCode(200).body("keycloakGroup", equalTo(group));
        // The same token as before: the link took effect without a new login.
        withToken(token).get("/api/cohorts/" + slug).then().statusCode(200);
    }

    @Test
    void shouldNeverTurnAGroupIntoARole() {
        // A group named like a realm role (the stack is new for every run, so the name is free).
        String groupId = Keycloak.createGroup("admin");
        String username = Keycloak.uniqueUsername("plain");
        Keycloak.joinGroup(Keycloak.createUser(username, "Plain", "Member"), groupId);
        String token = Keycloak.newToken(username);
        assertThat(withToken(token).get("/api/me").then().statusCode(200).extract().jsonPath().getList("roles"))
                .doesNotContain("admin");
        withToken(token).body(Map.of("slug", "no-" + username, "name", "No")).post("/api/cohorts").then().statusCode(403);
    }
}
