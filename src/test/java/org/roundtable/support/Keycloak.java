package org.roundtable.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real Keycloak of the local stack, as tests use it: tokens from the roundtable-cli client (direct access
 * grants, local stack only) and the admin API to make members of their own.
 */
public final class Keycloak {

    public static final String PASSWORD = "demo";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    /** A cached token is taken anew when it has less than this left (seconds): a slow run must not outlive its tokens. */
    private static final long MIN_LIFE_LEFT = 120;

    private Keycloak() {
    }

    /** A fresh access token for a user of the roundtable realm. */
    public static String newToken(String username) {
        return given().baseUri(LocalStackResource.keycloakUrl())
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "roundtable-cli")
                .formParam("username", username)
                .formParam("password", PASSWORD)
                .formParam("scope", "openid profile email")
                .post("/realms/roundtable/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** The token response (access, ID and refresh tokens) of a password grant for a client of the realm. */
    public static Map<String, Object> tokens(String client, String username, String scope) {
        return given().baseUri(LocalStackResource.keycloakUrl())
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", client)
                .formParam("username", username)
                .formParam("password", PASSWORD)
                .formParam("scope", scope)
                .post("/realms/roundtable/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().as(Map.class);
    }

    /** The token response of a refresh grant of roundtable-cli: what Keycloak says of the user now. */
    public static Map<String, Object> refresh(String refreshToken) {
        return given().baseUri(LocalStackResource.keycloakUrl())
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "refresh_token")
                .formParam("client_id", "roundtable-cli")
                .formParam("refresh_token", refreshToken)
                .post("/realms/roundtable/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().as(Map.class);
    }

    /** The Keycloak id (token subject) of a user of the realm. */
    public static String userId(String username) {
        List<Map<String, Object>> users = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(adminToken())
                .queryParam("username", username).queryParam("exact", true)
                .get("/admin/realms/roundtable/users").then().statusCode(200).extract().as(List.class);
        return String.valueOf(users.get(0).get("id"));
    }

    /** The realm as the admin API shows it (its settings, not its users). */
    public static Map<String, Object> realm() {
        return given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(adminToken())
                .get("/admin/realms/roundtable").then().statusCode(200).extract().as(Map.class);
    }

    /** A token per user, reused within the run (tokens live 15 minutes; the suite is shorter). */
    public static String token(String username) {
        return TOKENS.compute(username, (user, kept) -> kept != null && secondsLeft(kept) > MIN_LIFE_LEFT ? kept : newToken(user));
    }

    /** Seconds until a token's {@code exp}, by this machine's clock (Keycloak runs on the same machine). */
    static long secondsLeft(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        long exp = new io.vertx.core.json.JsonObject(payload).getLong("exp");
        return exp - java.time.Instant.now().getEpochSecond();
    }

    /**
     * Sets an attribute of the roundtable-web client (e.g. {@code access.token.lifespan}, which the ID token follows);
     * null makes it empty (Keycloak then uses the realm's value). Gives the value it had, for the caller to put back.
     */
    @SuppressWarnings("unchecked")
    public static String setWebClientAttribute(String name, String value) {
        String admin = adminToken();
        List<Map<String, Object>> clients = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(admin)
                .queryParam("clientId", "roundtable-web").get("/admin/realms/roundtable/clients")
                .then().statusCode(200).extract().as(List.class);
        Map<String, Object> client = clients.get(0);
        Map<String, Object> attributes = new java.util.HashMap<>((Map<String, Object>) client.getOrDefault("attributes", Map.of()));
        // Keycloak keeps an attribute that a client update leaves out, so "none" is written as empty (the realm's value).
        Object before = attributes.put(name, value == null ? "" : value);
        client.put("attributes", attributes);
        given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(admin).contentType(ContentType.JSON).body(client)
                .put("/admin/realms/roundtable/clients/" + client.get("id")).then().statusCode(204);
        return before == null || String.valueOf(before).isEmpty() ? null : String.valueOf(before);
    }

    /** An attribute of the roundtable-web client as Keycloak has it now (null or empty: none). */
    @SuppressWarnings("unchecked")
    public static String webClientAttribute(String name) {
        List<Map<String, Object>> clients = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(adminToken())
                .queryParam("clientId", "roundtable-web").get("/admin/realms/roundtable/clients")
                .then().statusCode(200).extract().as(List.class);
        Object value = ((Map<String, Object>) clients.get(0).getOrDefault("attributes", Map.of())).get(name);
        return value == null ? null : String.valueOf(value);
    }

    private static String adminToken() {
        return given().baseUri(LocalStackResource.keycloakUrl())
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "admin-cli")
                .formParam("username", "admin")
                .formParam("password", "admin")
                .post("/realms/master/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** Creates a member of the realm with password {@link #PASSWORD}; returns its Keycloak id (the token subject). */
    public static String createUser(String username, String firstName, String lastName, String... realmRoles) {
        String admin = adminToken();
        Map<String, Object> user = Map.of(
                "username", username, "enabled", true, "emailVerified", true,
                "firstName", firstName, "lastName", lastName, "email", username + "@test.roundtable.test",
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
        String location = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(admin)
                .contentType(ContentType.JSON).body(user)
                .post("/admin/realms/roundtable/users")
                .then().statusCode(201).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        for (String role : realmRoles) {
            Map<String, Object> representation = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(admin)
                    .get("/admin/realms/roundtable/roles/" + role).then().statusCode(200).extract().as(Map.class);
            given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(List.of(representation))
                    .post("/admin/realms/roundtable/users/" + id + "/role-mappings/realm")
                    .then().statusCode(204);
        }
        return id;
    }

    public static void updateUser(String id, Map<String, Object> changes) {
        given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(adminToken())
                .contentType(ContentType.JSON).body(changes)
                .put("/admin/realms/roundtable/users/" + id)
                .then().statusCode(204);
    }

    /** Creates a group of the realm; returns its Keycloak id. */
    public static String createGroup(String name) {
        String location = given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(adminToken())
                .contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/admin/realms/roundtable/groups")
                .then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public static void joinGroup(String userId, String groupId) {
        given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(adminToken())
                .put("/admin/realms/roundtable/users/" + userId + "/groups/" + groupId)
                .then().statusCode(204);
    }

    public static void leaveGroup(String userId, String groupId) {
        given().baseUri(LocalStackResource.keycloakUrl()).auth().oauth2(adminToken())
                .delete("/admin/realms/roundtable/users/" + userId + "/groups/" + groupId)
                .then().statusCode(204);
    }

    /** A username no other test uses. */
    public static String uniqueUsername(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
