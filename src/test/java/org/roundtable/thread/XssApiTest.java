package org.roundtable.thread;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;
import org.roundtable.thread.markdown.HtmlSafety;
import org.roundtable.thread.markdown.XssPayloads;

/**
 * Every known payload of the corpus goes through the real create and edit endpoints; the HTML stored in PostgreSQL
 * and the HTML the API returns contain nothing executable.
 */
@QuarkusTest
class XssApiTest {

    @Inject
    Pool pool;

    @Test
    void shouldStoreAndServeNoExecutableMarkupForAnyPayloadOnCreateAndEdit() {
        List<String> payloads = XssPayloads.load();
        assertThat(payloads).hasSizeGreaterThanOrEqualTo(100);
        String channel = TestData.networkChannel(pool);
        String token = Keycloak.token("alice");
        long thread = TestData.thread("alice", channel, "XSS corpus " + channel, "The corpus follows.");

        List<Long> created = new ArrayList<>();
        for (String payload : payloads) {
            String html = given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("body", payload))
                    .post("/api/threads/" + thread + "/posts")
                    .then().statusCode(201).extract().path("html");
            assertSafe(html, payload);
            created.add(given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("body", "edit me")).post("/api/threads/" + thread + "/posts")
                    .then().statusCode(201).extract().jsonPath().getLong("id"));
        }
        for (int i = 0; i < payloads.size(); i++) {
            String html = given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("body", payloads.get(i), "version", 1))
                    .patch("/api/posts/" + created.get(i))
                    .then().statusCode(200).extract().path("html");
            assertSafe(html, payloads.get(i));
        }
        // A payload in a thread title is text, escaped by the templates and the JSON encoder alike.
        long titled = TestData.thread("alice", channel, "<script>alert(1)</script> title", "Body");
        assertThat((String) given().auth().oauth2(token).get("/api/threads/" + titled).then().extract().path("title"))
                .isEqualTo("<script>alert(1)</script> title");

        int checked = 0;
        for (Row row : pool.preparedQuery("select p.html, r.html as revision from post p "
                + "left join post_revision r on r.post_id = p.id where p.thread_id = $1")
                .execute(Tuple.of(thread)).await().indefinitely()) {
            HtmlSafety.assertSafe(row.getString("html"));
            if (row.getString("revision") != null) {
                HtmlSafety.assertSafe(row.getString("revision"));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(2 * payloads.size() + 1);
    }

    private static void assertSafe(String html, String payload) {
        try {
            HtmlSafety.assertSafe(html);
        } catch (AssertionError e) {
            throw new AssertionError("Unsafe HTML for payload: " + payload + "\n" + e.getMessage(), e);
        }
    }
}
