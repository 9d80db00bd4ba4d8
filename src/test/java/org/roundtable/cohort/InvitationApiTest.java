package org.roundtable.cohort;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.security.SignedTokens;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

/** Invitation links through the API: each refusal says why, and changes nothing. */
@QuarkusTest
class InvitationApiTest {

    @Inject
    Pool pool;

    @Inject
    SignedTokens tokens;

    static String facilitator;
    static String invitee;
    static String stranger;

    String cohort;

    @BeforeEach
    void people() {
        if (facilitator == null) {
            facilitator = TestData.member("fac");
            invitee = TestData.member("inv");
            stranger = TestData.member("str");
        }
        cohort = TestData.cohort(pool, facilitator);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    JsonPath invite(Map<String, ?> body) {
        return as(facilitator).body(body).post("/api/cohorts/" + cohort + "/invitations").then().statusCode(201)
                .extract().jsonPath();
    }

    static String token(String link) {
        String query = link.substring(link.indexOf("token=") + "token=".length());
        return URLDecoder.decode(query, StandardCharsets.UTF_8);
    }

    ValidatableResponse accept(String user, String slug, String token) {
        return as(user).body(Map.of("token", token)).post("/api/cohorts/" + slug + "/invitations/accept").then();
    }

    long members() {
        return pool.preparedQuery("select count(*) as n from cohort_member cm join cohort c on c.id = cm.cohort_id where c.slug = $1")
                .execute(Tuple.of(cohort)).await().indefinitely().iterator().next().getLong("n");
    }

    Row invitation(long id) {
        return pool.preparedQuery("select accepted_at, accepted_by, revoked_at from cohort_invitation where id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
    }

    void assertNothingChanged(long invitationId, long membersBefore) {
        assertThat(members()).isEqualTo(membersBefore);
        assertThat(invitation(invitationId).getOffsetDateTime("accepted_at")).isNull();
    }

    @Test
    void shouldLetTheInvitedEmailsMemberJoinOnceWithTheSignedLink() {
        JsonPath made = invite(Map.of("email", invitee + "@test.roundtable.test"));
        String link = made.getString("link");
        assertThat(link).contains("/cohorts/" + cohort + "/join?token=");
        assertThat(made.getString("email")).isEqualTo(invitee + "@test.roundtable.test");
        String token = token(link);
        // The token is a JWT for the purpose "cohort-invite", with the cohort and an expiry 14 days away.
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        JsonPath payload = new JsonPath(claims);
        assertThat(payload.getString("purpose")).isEqualTo("cohort-invite");
        assertThat(payload.getLong("exp") - payload.getLong("iat")).isEqualTo(14 * 24 * 3600L);
        assertThat(payload.getString("jti")).isNotBlank();

        as(facilitator).get("/api/cohorts/" + cohort + "/invitations").then().statusCode(200)
                .body("id", hasItem(made.getInt("id")));

        accept(invitee, cohort, token).statusCode(200).body("myRole", equalTo("member"));
        as(invitee).get("/api/cohorts/" + cohort).then().statusCode(200);
        // Used: gone from the pending list; the invitee opening it again is told they are in.
        as(facilitator).get("/api/cohorts/" + cohort + "/invitations").then().body("id", org.hamcrest.Matchers.not(hasItem(made.getInt("id"))));
        accept(invitee, cohort, token).statusCode(200);
    }

    @Test
    void shouldRefuseAReusedLink() {
        JsonPath made = invite(Map.of());
        String token = token(made.getString("link"));
        accept(invitee, cohort, token).statusCode(200);
        long before = members();
        accept(stranger, cohort, token).statusCode(409)
                .body("title", equalTo("This invitation has already been used"));
        assertThat(members()).isEqualTo(before);
        as(stranger).get("/api/cohorts/" + cohort).then().statusCode(404);
    }

    @Test
    void shouldRefuseAnEmailInvitationToAnotherAccount() {
        JsonPath made = invite(Map.of("email", "somebody-else@example.org"));
        long before = members();
        accept(stranger, cohort, token(made.getString("link"))).statusCode(403)
                .body("title", equalTo("This invitation is for someone else"));
        assertNothingChanged(made.getLong("id"), before);
    }

    @Test
    void shouldRefuseAnEmailInvitationToAMemberWhoseTokenSaysThatAddressUnverified() {
        String address = "unverified-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        JsonPath made = invite(Map.of("email", address));
        String changer = TestData.member("unv");
        String refreshToken = (String) Keycloak.tokens("roundtable-cli", changer, "openid profile email").get("refresh_token");
        // The address changes in Keycloak without being verified (an admin, an identity provider, a realm that does not
        // verify): the member's next token says email=<address>, email_verified=false.
        Keycloak.updateUser(Keycloak.userId(changer), Map.of("email", address, "emailVerified", false));
        String token = (String) Keycloak.refresh(refreshToken).get("access_token");
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"email\":\"" + address + "\"").contains("\"email_verified\":false");
        long before = members();

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("token", token(made.getString("link"))))
                .post("/api/cohorts/" + cohort + "/invitations/accept").then().statusCode(403)
                .body("title", equalTo("This invitation is for someone else"));

        assertNothingChanged(made.getLong("id"), before);
        given().auth().oauth2(token).get("/api/cohorts/" + cohort).then().statusCode(404);
    }

    @Test
    void shouldRefuseAMemberInvitationToAnotherMember() {
        JsonPath made = invite(Map.of("username", invitee));
        long before = members();
        accept(stranger, cohort, token(made.getString("link"))).statusCode(403);
        assertNothingChanged(made.getLong("id"), before);
        accept(invitee, cohort, token(made.getString("link"))).statusCode(200);
    }

    @Test
    void shouldRefuseAnExpiredLink() {
        JsonPath made = invite(Map.of());
        long id = made.getLong("id");
        UUID jti = jti(id);
        long before = members();
        String expired = tokens.sign("cohort-invite", jti.toString(), Instant.now().minus(15, ChronoUnit.DAYS),
                Instant.now().minus(1, ChronoUnit.DAYS), Map.of("cohort", cohortId()));
        accept(invitee, cohort, expired).statusCode(410).body("title", equalTo("This invitation has expired"));
        assertNothingChanged(id, before);

        // Expired by its row too (the row is the authority on time as well).
        pool.preparedQuery("update cohort_invitation set expires_at = now() - interval '1 minute' where id = $1")
                .execute(Tuple.of(id)).await().indefinitely();
        accept(invitee, cohort, token(made.getString("link"))).statusCode(410);
        assertNothingChanged(id, before);
    }

    @Test
    void shouldRefuseATamperedLink() {
        JsonPath made = invite(Map.of());
        String token = token(made.getString("link"));
        long before = members();
        String[] parts = token.split("\\.");
        // Another cohort in the claims, signature kept: the signature no longer matches.
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"cohort\":" + cohortId(), "\"cohort\":" + (cohortId() + 1));
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        accept(invitee, cohort, forged).statusCode(400).body("title", equalTo("This invitation link is not valid"));
        // The signature itself changed: one bit of its first byte flipped (the last base64url character carries only
        // 4 significant bits of a 32-byte HMAC, so changing it can leave the signature as it was).
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[0] ^= 0x01;
        accept(invitee, cohort, parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signature)).statusCode(400);
        accept(invitee, cohort, "not-a-token").statusCode(400);
        accept(invitee, cohort, "").statusCode(400);
        // A token signed with another key.
        String otherKey = io.smallrye.jwt.build.Jwt.issuer("roundtable").subject("cohort-invite").claim("purpose", "cohort-invite")
                .claim("jti", jti(made.getLong("id")).toString()).claim("cohort", cohortId())
                .expiresAt(Instant.now().plus(1, ChronoUnit.DAYS)).jws()
                .signWithSecret("another-secret-another-secret-another-secret-0123456789");
        accept(invitee, cohort, otherKey).statusCode(400);
        assertNothingChanged(made.getLong("id"), before);
    }

    @Test
    void shouldRefuseATokenMadeForAnotherPurpose() {
        JsonPath made = invite(Map.of());
        long id = made.getLong("id");
        long before = members();
        String unsubscribe = tokens.sign("unsubscribe", jti(id).toString(), Instant.now(),
                Instant.now().plus(1, ChronoUnit.DAYS), Map.of("cohort", cohortId()));
        accept(invitee, cohort, unsubscribe).statusCode(400).body("title", equalTo("This link is not a cohort invitation"));
        assertNothingChanged(id, before);
    }

    @Test
    void shouldRefuseALinkOpenedAtAnotherCohortsAddress() {
        JsonPath made = invite(Map.of());
        String token = token(made.getString("link"));
        String other = TestData.cohort(pool, facilitator);
        long before = members();
        accept(invitee, other, token).statusCode(400).body("title", equalTo("This invitation is for another cohort"));
        // A cohort that does not exist answers the same: a link tells nothing about addresses.
        String nowhere = accept(invitee, "no-such-cohort", token).statusCode(400).extract().jsonPath().getString("detail");
        assertThat(nowhere).isEqualTo(accept(invitee, other, token).extract().jsonPath().getString("detail"));
        assertNothingChanged(made.getLong("id"), before);
        as(invitee).get("/api/cohorts/" + other).then().statusCode(404);
    }

    @Test
    void shouldRefuseAWithdrawnLink() {
        JsonPath made = invite(Map.of());
        as(invitee).delete("/api/cohorts/" + cohort + "/invitations/" + made.getLong("id")).then().statusCode(404);
        as(facilitator).delete("/api/cohorts/" + cohort + "/invitations/" + made.getLong("id")).then().statusCode(204);
        long before = members();
        accept(invitee, cohort, token(made.getString("link"))).statusCode(410)
                .body("title", equalTo("This invitation was withdrawn"));
        assertThat(members()).isEqualTo(before);
    }

    @Test
    void shouldLetOnlyTheCohortsFacilitatorsInvite() {
        String member = TestData.member("mem");
        TestData.addToCohort(pool, cohort, "member", member);
        as(member).body(Map.of()).post("/api/cohorts/" + cohort + "/invitations").then().statusCode(403);
        as(stranger).body(Map.of()).post("/api/cohorts/" + cohort + "/invitations").then().statusCode(404);
        as(member).get("/api/cohorts/" + cohort + "/invitations").then().statusCode(403);
        as(facilitator).body(Map.of("email", "not an address")).post("/api/cohorts/" + cohort + "/invitations")
                .then().statusCode(400);
        as(facilitator).body(Map.of("username", member)).post("/api/cohorts/" + cohort + "/invitations")
                .then().statusCode(409);
        as(facilitator).body(Map.of("username", "nobody-" + UUID.randomUUID())).post("/api/cohorts/" + cohort + "/invitations")
                .then().statusCode(400);
    }

    private long cohortId() {
        return pool.preparedQuery("select id from cohort where slug = $1").execute(Tuple.of(cohort)).await().indefinitely()
                .iterator().next().getLong("id");
    }

    private UUID jti(long invitation) {
        return pool.preparedQuery("select jti from cohort_invitation where id = $1").execute(Tuple.of(invitation))
                .await().indefinitely().iterator().next().getUUID("jti");
    }
}
