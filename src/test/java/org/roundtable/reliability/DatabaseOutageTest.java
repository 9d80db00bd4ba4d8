package org.roundtable.reliability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.LocalStackResource;
import org.roundtable.support.Management;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * PostgreSQL stopped and started again under the running app (issue 18, docs/reliability.md): while it is down, the
 * API answers 503 with Retry-After in problem+json, a logged-in member's page is a 503 page (not a redirect to the
 * login: the session stays) and readiness is down; once it is back, readiness is up, the same pool serves again and
 * the same page session reads and posts. The test stops the run's shared PostgreSQL (a fast shutdown, data kept) and
 * always starts it again, waiting for readiness, so the classes after it find the stack as it was.
 */
@QuarkusTest
class DatabaseOutageTest {

    @Inject
    Pool pool;

    private boolean stopped;

    @AfterEach
    void startAgain() {
        if (stopped) {
            LocalStackResource.fault("pg-start");
            awaitReady();
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheDatabaseIsDownKeepTheSessionAndServeAgainOnceItIsBack() {
        String channel = TestData.networkChannel(pool);
        String token = Keycloak.token("carmen");
        long thread = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Before the outage", "body", "Written before PostgreSQL stops.", "tags", new String[0]))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, String> cookies = new HashMap<>(Pages.cookies("carmen"));
        assertThat(page(cookies, thread).statusCode()).isEqualTo(200);
        assertThat(ready().statusCode()).isEqualTo(200);

        LocalStackResource.fault("pg-stop");
        stopped = true;

        Response read = given().auth().oauth2(token).get("/api/threads/" + thread);
        assertThat(read.statusCode()).as(read.asString()).isEqualTo(503);
        assertThat(read.header("Retry-After")).isEqualTo("5");
        assertThat(read.contentType()).startsWith("application/problem+json");
        assertThat(read.jsonPath().getString("detail")).contains("Nothing was saved");

        Response write = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("body", "Lost?"))
                .post("/api/threads/" + thread + "/posts");
        assertThat(write.statusCode()).as(write.asString()).isEqualTo(503);
        assertThat(write.header("Retry-After")).isEqualTo("5");

        Response outagePage = page(cookies, thread);
        assertThat(outagePage.statusCode()).as("a logged-in member's page while the database is down").isEqualTo(503);
        assertThat(outagePage.header("Retry-After")).isEqualTo("5");
        assertThat(Jsoup.parse(outagePage.asString()).select("h1").text()).isEqualTo("Unavailable for a moment");
        assertThat(outagePage.getCookies().keySet()).as("the session is not ended").noneMatch(c -> c.startsWith("q_session"));

        assertThat(ready().statusCode()).as("readiness while the database is down").isEqualTo(503);

        LocalStackResource.fault("pg-start");
        stopped = false;
        awaitReady();

        assertThat(page(cookies, thread).statusCode()).as("the same page session after the restart").isEqualTo(200);
        long reply = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("body", "Written after it."))
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");
        Long count = pool.preparedQuery("select count(*) from post where thread_id = $1 and id <= $2")
                .execute(Tuple.of(thread, reply)).await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
        assertThat(count).as("the opening post and the reply, nothing of the refused write").isEqualTo(2L);
    }

    @Test
    void shouldServeAgainAfterAFastRestartWithoutAFailedRequestOnceReady() {
        String token = Keycloak.token("bob");
        given().auth().oauth2(token).get("/api/me").then().statusCode(200);
        LocalStackResource.fault("pg-restart");
        awaitReady();
        // every connection the pool held before the restart is gone: the pool must not hand any of them out
        for (int i = 0; i < 25; i++) {
            given().auth().oauth2(token).get("/api/me").then().statusCode(200);
        }
    }

    private static Response page(Map<String, String> cookies, long thread) {
        return given().cookies(cookies).redirects().follow(false).get("/threads/" + thread);
    }

    private static Response ready() {
        return given().get(Management.url("/q/health/ready"));
    }

    /** Readiness up again: the app has reached PostgreSQL (within two minutes on a busy machine). */
    private static void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (ready().statusCode() != 200) {
            assertThat(System.nanoTime()).as("readiness up again within two minutes").isLessThan(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
