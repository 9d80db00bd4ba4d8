package org.roundtable.member;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;

@QuarkusTest
class MemberSyncTest {

    @Inject
    Pool pool;

    @Test
    void shouldCreateTheMemberOnceAndUpdateItOnTheNextLogin() {
        String username = Keycloak.uniqueUsername("sync");
        String subject = Keycloak.createUser(username, "Dana", "Diaz");

        long firstId = given().auth().oauth2(Keycloak.newToken(username)).get("/api/me")
                .then().statusCode(200).extract().jsonPath().getLong("id");
        // A second request with another token of the same person is the same member.
        long againId = given().auth().oauth2(Keycloak.newToken(username)).get("/api/me")
                .then().statusCode(200).extract().jsonPath().getLong("id");
        assertThat(againId).isEqualTo(firstId);

        Keycloak.updateUser(subject, Map.of("firstName", "Dana", "lastName", "Delgado-Diaz"));
        String name = given().auth().oauth2(Keycloak.newToken(username)).get("/api/me")
                .then().statusCode(200).extract().jsonPath().getString("name");
        assertThat(name).isEqualTo("Dana Delgado-Diaz");

        List<Row> rows = rows(subject);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getLong("id")).isEqualTo(firstId);
        assertThat(rows.get(0).getString("name")).isEqualTo("Dana Delgado-Diaz");
        assertThat(rows.get(0).getString("username")).isEqualTo(username);
    }

    @Inject
    MemberActivity activity;

    @Test
    void shouldWriteTheDayAMemberWasSeenOnlyOnceTheDayIsOverForEveryoneAtOnce() {
        org.roundtable.support.Hours.withinOneHour(this::seenOnceTheDayIsOver);
    }

    private void seenOnceTheDayIsOver() {
        String username = Keycloak.uniqueUsername("seen");
        String subject = Keycloak.createUser(username, "Sam", "Seen");
        given().auth().oauth2(Keycloak.newToken(username)).get("/api/me").then().statusCode(200);
        // The request does not write the member's row (its place in the table would date the visit) ...
        assertThat(lastSeen(subject)).isNull();
        // ... the day's marks are written together, once the day is over (the test writes them now).
        activity.write().await().indefinitely();
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertThat(lastSeen(subject)).isBetween(today.minusDays(1), today);
    }

    private java.time.LocalDate lastSeen(String subject) {
        return pool.preparedQuery("select last_seen_on from member where subject = $1").execute(Tuple.of(subject))
                .await().indefinitely().iterator().next().getLocalDate(0);
    }

    private List<Row> rows(String subject) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("select id, name, username from member where subject = $1")
                .execute(Tuple.of(subject)).await().indefinitely().forEach(rows::add);
        return rows;
    }
}
