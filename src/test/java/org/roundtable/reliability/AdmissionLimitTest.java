package org.roundtable.reliability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Management;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;
import org.roundtable.web.AdmissionLimit;
import org.roundtable.web.RefusedUri;

/**
 * Load shedding (web/AdmissionLimit): with roundtable.http.max-in-flight requests being worked on, one more is refused
 * at once with 503 and Retry-After (problem+json from the API, a page elsewhere), the management port still answers,
 * and every request that was admitted is served in full once it can go on. Deterministic without timing: while this
 * test holds an exclusive lock on the thread table, the admitted requests wait for it (the app's own count shows them
 * all in flight before the next one is sent).
 */
@QuarkusTest
class AdmissionLimitTest {

    @Inject
    Pool pool;

    @Inject
    AdmissionLimit admission;

    @ConfigProperty(name = "roundtable.http.max-in-flight")
    int maxInFlight;

    @Test
    void shouldRefuseTheRequestOverTheLimitAtOnceWith503AndServeEveryAdmittedOne() throws Exception {
        String m = TestData.member("crowded");
        long thread = TestData.thread(m, TestData.networkChannel(pool), "Crowded", "Many readers at once.");
        String token = Keycloak.token(m);
        Map<String, String> cookies = Pages.cookies(m);
        given().auth().oauth2(token).get("/api/threads/" + thread).then().statusCode(200);
        assertThat(maxInFlight).as("the test run's limit").isBetween(2, 64);

        SqlConnection lock = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        ExecutorService readers = Executors.newFixedThreadPool(maxInFlight);
        try {
            lock.query("begin").execute().await().indefinitely();
            lock.query("set local idle_in_transaction_session_timeout = '60s'").execute().await().indefinitely();
            lock.query("lock table thread in access exclusive mode").execute().await().indefinitely();
            List<Future<Integer>> admitted = new ArrayList<>();
            for (int i = 0; i < maxInFlight; i++) {
                admitted.add(readers.submit(() -> given().auth().oauth2(token).get("/api/threads/" + thread).statusCode()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (admission.inFlight() < maxInFlight) {
                assertThat(System.nanoTime()).as("all %d readers in flight", maxInFlight).isLessThan(deadline);
                Thread.sleep(20);
            }

            Response api = given().auth().oauth2(token).get("/api/threads/" + thread);
            assertThat(api.statusCode()).as(api.asString()).isEqualTo(503);
            assertThat(api.header("Retry-After")).isEqualTo(String.valueOf(AdmissionLimit.RETRY_AFTER_SECONDS));
            assertThat(api.contentType()).startsWith("application/problem+json");
            assertThat(api.jsonPath().getString("detail")).contains("nothing of it was saved").contains("again");

            Response write = given().auth().oauth2(token).contentType("application/json")
                    .body(Map.of("body", "Refused at the door?")).post("/api/threads/" + thread + "/posts");
            assertThat(write.statusCode()).isEqualTo(503);

            Response page = given().cookies(cookies).redirects().follow(false).get("/threads/" + thread);
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.header("Retry-After")).isEqualTo(String.valueOf(AdmissionLimit.RETRY_AFTER_SECONDS));
            assertThat(Jsoup.parse(page.asString()).select("h1").text()).isEqualTo("Busy for a moment");
            assertThat(page.getCookies().keySet()).as("the session is not ended").noneMatch(c -> c.startsWith("q_session"));

            assertThat(given().get(Management.url("/q/health/live")).statusCode())
                    .as("the management port is never refused").isEqualTo(200);

            // The refusals are timed in http_server_requests under one uri tag, not one series per address refused.
            String refused = "status=\"503\",uri=\"" + RefusedUri.TAG + "\"";
            String metrics = Management.metricsContaining(refused, Duration.ofSeconds(30));
            assertThat(metrics).as("no series of a refused address")
                    .doesNotContain("uri=\"/api/threads/" + thread + "\"")
                    .doesNotContain("uri=\"/api/threads/" + thread + "/posts\"")
                    .doesNotContain("uri=\"/threads/" + thread + "\"");

            lock.query("rollback").execute().await().indefinitely();
            for (Future<Integer> reader : admitted) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).as("an admitted request, served once the lock is gone")
                        .isEqualTo(200);
            }
        } finally {
            lock.query("rollback").execute().onFailure().recoverWithNull().await().indefinitely();
            lock.close().await().indefinitely();
            readers.shutdownNow();
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admission.inFlight() > 0) {
            assertThat(System.nanoTime()).as("every admitted request counted out").isLessThan(deadline);
            Thread.sleep(20);
        }
        given().auth().oauth2(token).get("/api/threads/" + thread).then().statusCode(200);
        assertThat(given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("body", "Once the crowd is gone.")).post("/api/threads/" + thread + "/posts").statusCode())
                .isEqualTo(201);
    }
}
