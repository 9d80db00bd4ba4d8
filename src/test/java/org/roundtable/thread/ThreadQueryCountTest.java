package org.roundtable.thread;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roundtable.db.Database;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

/** A thread page is a small fixed number of SQL statements, whatever the number of posts (no N+1). */
@QuarkusTest
class ThreadQueryCountTest {

    @Inject
    Pool pool;

    @Inject
    Database database;

    @Test
    void shouldReadA200PostThreadWithTheSameFewStatementsAsA5PostThread() {
        String channel = TestData.networkChannel(pool);
        long small = threadWithReplies(channel, 5);
        long large = threadWithReplies(channel, 199);

        long smallStatements = statementsFor(small);
        long largeStatements = statementsFor(large);
        assertThat(largeStatements).isEqualTo(smallStatements);
        // thread head, the posts of the page with authors and reactions, the read marker
        assertThat(largeStatements).isLessThanOrEqualTo(3);

        // and each of them is kept prepared by the connection, not parsed and planned on every view (db/PoolSettings)
        assertThat(uncachedFor(large)).isZero();

        int shown = given().auth().oauth2(Keycloak.token("carmen")).get("/api/threads/" + large)
                .then().statusCode(200).extract().jsonPath().getList("posts").size();
        assertThat(shown).isGreaterThanOrEqualTo(ThreadService.PAGE_SIZE);
    }

    /**
     * A page of ASCII text is sent as ASCII: the templates write characters outside it as references, so the rendered
     * page stays one byte a character in memory (a single isolate in the title made the whole page UTF-16 and cost a
     * tenth of the thread page's CPU: docs/benchmarks.md, "Issue 21"). As a facilitator, who sees every control.
     */
    @Test
    void shouldSendAThreadPageOfAsciiTextAsAsciiWithItsTitleStillIsolated() {
        long thread = threadWithReplies(TestData.networkChannel(pool), 3);
        for (String who : new String[] { "alice", "fran" }) {
            String html = org.roundtable.support.Pages.get(who, "/threads/" + thread).then().statusCode(200)
                    .extract().asString();
            assertThat(html.chars().filter(c -> c > 0x7E || (c < 0x20 && c != '\n' && c != '\t' && c != '\r')))
                    .as("characters outside ASCII on the page of " + who).isEmpty();
            assertThat(org.jsoup.Jsoup.parse(html).title())
                    .isEqualTo("\u2068A thread of 4 posts\u2069 \u00b7 Roundtable");
        }
    }

    private long statementsFor(long thread) {
        given().auth().oauth2(Keycloak.token("carmen")).get("/api/me").then().statusCode(200); // identity cached
        long before = database.statementCount();
        given().auth().oauth2(Keycloak.token("carmen")).get("/api/threads/" + thread).then().statusCode(200);
        return database.statementCount() - before;
    }

    private long uncachedFor(long thread) {
        given().auth().oauth2(Keycloak.token("carmen")).get("/api/me").then().statusCode(200);
        long before = database.uncachedStatementCount();
        given().auth().oauth2(Keycloak.token("carmen")).get("/api/threads/" + thread).then().statusCode(200);
        given().auth().oauth2(Keycloak.token("carmen")).get("/channels").then().statusCode(200);
        return database.uncachedStatementCount() - before;
    }

    private long threadWithReplies(String channel, int replies) {
        long thread = TestData.thread("alice", channel, "A thread of " + (replies + 1) + " posts", "Start");
        Random random = new Random(replies);
        List<Long> posts = new ArrayList<>();
        String[] people = { "alice", "bob", "fran" };
        for (int i = 0; i < replies; i++) {
            Long replyTo = posts.isEmpty() || random.nextInt(3) == 0 ? null : posts.get(random.nextInt(posts.size()));
            long id = TestData.reply(people[i % people.length], thread, replyTo, "Reply " + i + " with a **bold** word");
            posts.add(id);
            if (i % 7 == 0) {
                given().auth().oauth2(Keycloak.token("bob")).put("/api/posts/" + id + "/reactions/thanks");
            }
        }
        return thread;
    }
}
