package org.roundtable.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.LocalStackResource;
import org.roundtable.support.TestData;

/**
 * A member cannot give their account an address they have not proved to own: both realms verify email addresses,
 * and a change of address goes through Keycloak's "update email" action, which changes it only once the new address
 * is verified. (Roundtable itself takes only verified addresses from tokens: InvitationApiTest.)
 */
@QuarkusTest
class RealmEmailTest {

    static final Path PROJECT = Path.of(System.getProperty("roundtable.project.dir", ".")).toAbsolutePath();

    @Test
    void shouldNotLetAMemberChangeTheirEmailInTheAccountConsoleWithoutVerifyingIt() {
        String member = TestData.member("mail");
        String token = (String) Keycloak.tokens("roundtable-cli", member, "openid profile email").get("access_token");
        Map<String, Object> account = new HashMap<>(given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(token)
                .accept(ContentType.JSON).get("/realms/roundtable/account/").then().statusCode(200).extract().as(Map.class));
        String before = (String) account.get("email");
        account.remove("userProfileMetadata");
        account.put("email", "someone-else-" + member + "@example.org");

        int status = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(account).post("/realms/roundtable/account/").then().extract().statusCode();

        assertThat(status).as("a direct change of address in the account console").isEqualTo(400);
        Map<String, Object> after = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(token)
                .accept(ContentType.JSON).get("/realms/roundtable/account/").then().statusCode(200).extract().as(Map.class);
        assertThat(after.get("email")).isEqualTo(before);
        assertThat(after.get("emailVerified")).isEqualTo(true);
        assertThat(Keycloak.realm().get("verifyEmail")).isEqualTo(true);
    }

    @Test
    void shouldVerifyEmailAndItsChangesInBothRealms() throws IOException {
        for (String file : new String[] { "roundtable-realm.json", "roundtable-realm-production.json" }) {
            JsonNode realm = new ObjectMapper().readTree(PROJECT.resolve("deploy/keycloak").resolve(file).toFile());
            assertThat(realm.path("verifyEmail").asBoolean()).as(file + ": verifyEmail").isTrue();
            boolean updateEmail = false;
            for (JsonNode action : realm.path("requiredActions")) {
                if (action.path("alias").asText().equals("UPDATE_EMAIL")) {
                    updateEmail = action.path("enabled").asBoolean();
                }
            }
            assertThat(updateEmail).as(file + ": the UPDATE_EMAIL required action is enabled").isTrue();
        }
    }
}
