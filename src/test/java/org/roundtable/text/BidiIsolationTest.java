package org.roundtable.text;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.digest.MentionMails;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Mailbox;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * A right-to-left override (U+202E) in text members chose — a title, a display name, a channel or cohort name, a
 * reason, a note — never reorders the text around it: on every main page each such text sits alone in an element that
 * isolates it ({@code <bdi>}, or {@code dir="auto"} on the element that holds only it), the page's {@code <title>}
 * and plain-text mails put it between FSI and PDI. Checked on the markup: every text node that carries an override is
 * exactly one piece of user text, in an isolating element.
 */
@QuarkusTest
class BidiIsolationTest {

    static final char RLO = '\u202E';

    @Mailbox.Inject
    GreenMail greenMail;

    @Inject
    Pool pool;

    @Inject
    MentionMails mentionMails;

    /** The user text of this run (made once for the class), each with an override that is never closed. */
    static String name;
    static String username;
    static String title;
    static String cohortTitle;
    static String channelName;
    static String cohortName;
    static String cohortChannelName;
    static String reason;
    static String flagNote;
    static String channel;
    static String cohort;
    static long thread;

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    void sql(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }

    List<String> userTexts() {
        return List.of(name, title, cohortTitle, channelName, cohortName, cohortChannelName, reason, flagNote);
    }

    @BeforeEach
    void data() {
        if (username != null) {
            return;
        }
        for (String user : List.of("alice", "fran", "ada")) {
            as(user).get("/api/me").then().statusCode(200);
        }
        String mark = UUID.randomUUID().toString().substring(0, 6);
        username = Keycloak.uniqueUsername("rtl");
        Keycloak.createUser(username, "Rami " + RLO + "lave-" + mark, "Nour");
        name = "Rami " + RLO + "lave-" + mark + " Nour";
        as(username).get("/api/me").then().statusCode(200);
        title = "Budget (" + RLO + "deunitnoc) 2026-11-29 " + mark;
        cohortTitle = "Cohort plans " + RLO + "tixe " + mark;
        reason = "Spam " + RLO + "maps " + mark;
        flagNote = "Names a colleague " + RLO + "eugaelloc " + mark;

        channel = TestData.networkChannel(pool);
        channelName = "Network " + RLO + "krowten " + mark;
        sql("update channel set name = $2 where slug = $1", channel, channelName);
        cohort = TestData.cohort(pool, "fran", username, "alice");
        cohortName = "Cohort " + RLO + "trohoc " + mark;
        sql("update cohort set name = $2 where slug = $1", cohort, cohortName);
        cohortChannelName = "Cohort channel " + RLO + "lennahc " + mark;
        sql("update channel set name = $2 where slug = $1", cohort, cohortChannelName);

        thread = TestData.threadWithTags(username, channel, title, "What do you cut first?", "budget");
        long reply = TestData.reply("alice", thread, null, "@" + username + " the travel budget, then supplies.");
        TestData.reply(username, thread, reply, "Thanks, that helps.");
        TestData.thread(username, cohort, cohortTitle, "Our plans for the spring.");
        long post = TestData.openingPost(username, thread);
        as("alice").body(Map.of("reason", "other", "text", flagNote)).post("/api/posts/" + post + "/flags")
                .then().statusCode(201);
        String suspendee = TestData.memberRow(pool, "rtl-susp");
        long suspendeeId = pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(suspendee))
                .await().indefinitely().iterator().next().getLong(0);
        as("ada").body(Map.of("reason", reason)).put("/api/members/" + suspendeeId + "/suspension").then().statusCode(204);
    }

    /** Whether an override is left in plain text once every piece of user text between FSI and PDI is taken out. */
    boolean overrideOutsideIsolates(String text) {
        String rest = text;
        for (String piece : userTexts()) {
            rest = rest.replace(TextRules.FSI + piece + TextRules.PDI, "");
        }
        return rest.indexOf(RLO) >= 0;
    }

    /**
     * Every text node with an override is one piece of user text (whitespace around it aside) held by a {@code <bdi>}
     * or an element with {@code dir}, or has its pieces of user text between FSI and PDI (the {@code <title>}, options
     * of a list). Returns how many such nodes the page has, so that a page that shows none cannot pass by accident.
     */
    int assertIsolated(String page, Document doc) {
        List<String> problems = new ArrayList<>();
        int found = 0;
        for (Element element : doc.getAllElements()) {
            for (TextNode node : element.textNodes()) {
                String text = node.getWholeText();
                if (text.indexOf(RLO) < 0) {
                    continue;
                }
                found++;
                boolean isolating = element.tagName().equals("bdi") || element.hasAttr("dir");
                boolean alone = userTexts().contains(text.strip());
                if (!(isolating && alone) && overrideOutsideIsolates(text)) {
                    problems.add("<" + element.tagName() + " class=\"" + element.className() + "\"> holds \"" + text.strip()
                            + "\"" + (isolating ? "" : ", not isolated") + (alone ? "" : ", beside other text"));
                }
            }
        }
        assertThat(problems).as("user text not isolated on " + page).isEmpty();
        return found;
    }

    void check(String user, String path, int atLeast) {
        Document doc = Pages.page(user, path);
        assertThat(assertIsolated(path, doc)).as("pieces of user text on " + path).isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void shouldIsolateUserTextOnTheMainPages() {
        check("alice", "/", 3);
        check("alice", "/channels", 2);
        check("alice", "/channels/" + channel, 3);
        check("alice", "/threads/" + thread, 4);
        check("alice", "/threads/" + thread + "/reply", 3);
        check("alice", "/tags/budget", 1);
        check("alice", "/notifications", 2);
        check("alice", "/members?q=" + username, 1);
        check("alice", "/members/" + username, 4);
        check("alice", "/cohorts", 1);
        check("alice", "/cohorts/" + cohort, 4);
        check("alice", "/channels/" + cohort, 2);
        check(username, "/", 2);
        check(username, "/me", 3);
        check(username, "/notifications", 2);
        check("fran", "/review", 3);
        check("fran", "/threads/" + thread + "/move", 2);
        check("ada", "/audit", 1);
    }

    @Test
    void shouldIsolateUserTextInMentionMails() throws Exception {
        String mentioned = Keycloak.uniqueUsername("rtl-mail");
        Keycloak.createUser(mentioned, "Mira", "Reader");
        as(mentioned).get("/api/me").then().statusCode(200);
        TestData.reply(username, thread, null, "@" + mentioned + " what do you think?");
        mentionMails.send(Clock.fixed(Instant.now().plus(1, ChronoUnit.MINUTES), ZoneOffset.UTC))
                .await().atMost(Duration.ofMinutes(1));

        List<MimeMessage> received = Mailbox.to(greenMail, mentioned + "@test.roundtable.test");
        assertThat(received).hasSize(1);
        MimeMessage mail = received.get(0);
        assertThat(mail.getSubject()).isEqualTo(TextRules.isolated(name) + " mentioned you: " + TextRules.isolated(title));
        String text = Mailbox.part(mail, "text/plain");
        assertThat(text).contains(TextRules.isolated(name) + " mentioned you in \"" + TextRules.isolated(title) + "\"");
        for (String line : text.split("\n")) {
            assertThat(overrideOutsideIsolates(line)).as("an override outside isolates in: " + line).isFalse();
        }
        Document html = Jsoup.parse(Mailbox.part(mail, "text/html"));
        assertThat(assertIsolated("the mention mail", html)).isGreaterThanOrEqualTo(2);
    }
}
