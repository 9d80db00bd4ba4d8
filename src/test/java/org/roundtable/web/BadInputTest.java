package org.roundtable.web;

import org.roundtable.problem.Problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Management;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Issue 13, section 3, case by case: bad input gets a 4xx with a message that says what to change, never a 500, and
 * a refusal changes nothing. The hostile-input test (security/HostileInputTest) drives every route with such values;
 * these tests pin each kind down with what a person sees.
 */
@QuarkusTest
class BadInputTest {

    @Inject
    Pool pool;

    // ---------------------------------------------------------------- pages past the last

    @Test
    void shouldSendAPagePastTheLastToTheLastPageWithoutMarkingAnythingRead() {
        String channel = TestData.networkChannel(pool);
        long short_ = TestData.thread("alice", channel, "One page only", "Short.");
        TestData.reply("bob", short_, null, "The only reply.");
        for (String page : List.of("2", "3", "99", "2147483647")) {
            Response past = Pages.get("carmen", "/threads/" + short_ + "?page=" + page);
            assertThat(past.statusCode()).as("page " + page).isEqualTo(303);
            assertThat(past.header("Location")).endsWith("/threads/" + short_);
        }
        // A redirect shows nothing, so it marks nothing read: the thread is still new to carmen.
        assertThat(count("select count(*) from thread_read tr join member m on m.id = tr.member_id "
                + "where tr.thread_id = $1 and m.username = 'carmen'", short_)).isZero();
        assertThat(Pages.get("carmen", "/threads/" + short_ + "?page=1").statusCode()).isEqualTo(200);

        long twoPages = TestData.thread("alice", channel, "Two pages", "Long.");
        for (int i = 0; i <= org.roundtable.thread.ThreadService.PAGE_SIZE; i++) {
            TestData.reply(i % 2 == 0 ? "bob" : "carmen", twoPages, null, "Answer " + i);
        }
        assertThat(Pages.get("alice", "/threads/" + twoPages + "?page=2").statusCode()).isEqualTo(200);
        Response third = Pages.get("alice", "/threads/" + twoPages + "?page=3");
        assertThat(third.statusCode()).isEqualTo(303);
        assertThat(third.header("Location")).endsWith("/threads/" + twoPages + "?page=2");
    }

    // ---------------------------------------------------------------- NUL and bytes that are not UTF-8

    @Test
    void shouldRefuseNulAndInvalidUtf8InAddressesAndQueryParametersWith400() {
        String facilitator = "fran";
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/channels/a%00b", "address");
        pages.put("/members/al%00ice", "address");
        pages.put("/cohorts/c%C3%28", "address");
        pages.put("/tags/t%FF", "address");
        pages.put("/threads/1%00", "address");
        pages.put("/no/such%00page", "address"); // no route has this address either
        pages.put("/members?q=al%00ice", "\"q\"");
        pages.put("/members?q=%FF", "\"q\"");
        pages.put("/audit?actor=fr%00an", "\"actor\"");
        pages.put("/audit?action=review.%C3%28", "\"action\"");
        pages.forEach((path, named) -> {
            Response response = raw(facilitator, path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.contentType()).as(path).startsWith("text/html");
            assertThat(Jsoup.parse(response.asString()).select("main").text()).as(path).contains(named);
        });
        String token = Keycloak.token(facilitator);
        for (String path : List.of("/api/channels/a%00b/threads", "/api/members/al%00ice", "/api/members?q=%00",
                "/api/audit?actor=%00", "/api/audit?from=%FF", "/api/cohorts/c%C3%28", "/api/tags/t%00/follow")) {
            Response response = given().urlEncodingEnabled(false).auth().oauth2(token).get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.contentType()).as(path).startsWith(Problem.MEDIA_TYPE);
            assertThat(response.jsonPath().getString("detail")).as(path).containsAnyOf("NUL", "UTF-8");
        }
        // Timed in http_server_requests under their route's template, or (the address no route has) under one uri tag:
        // never one series per address a client made up.
        String refused = "status=\"400\",uri=\"" + RefusedUri.TAG + "\"";
        String metrics = Management.metricsContaining(refused, java.time.Duration.ofSeconds(30));
        List<String> series = metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count")).toList();
        assertThat(series).as("the refusals' series").anyMatch(l -> l.contains(refused))
                .noneMatch(l -> l.contains("%00") || l.contains("%FF") || l.contains("%C3%28"));
    }

    @Test
    void shouldRefuseNulInFieldsNamingTheFieldAndChangeNothing() {
        String admin = TestData.member("bi-admin", "admin");
        String facilitator = TestData.member("bi-fac");
        String member = TestData.member("bi-mem");
        String cohort = TestData.cohort(pool, facilitator, member);
        long thread = TestData.thread(member, cohort, "A thread to move", "Text.");
        long post = TestData.reply(member, thread, null, "A reply.");
        long memberId = count("select id from member where username = $1", member);
        String before = changes();

        refused(api(admin).body(Map.of("slug", "bi-x", "name", "Nu\u0000l")).post("/api/cohorts"), "name");
        refused(api(admin).body(Map.of("name", "Nu\u0000l")).patch("/api/cohorts/" + cohort), "name");
        refused(api(facilitator).body(Map.of("email", "a\u0000b@example.org")).post("/api/cohorts/" + cohort + "/invitations"), "email");
        refused(api(facilitator).body(Map.of("username", "ali\u0000ce")).post("/api/cohorts/" + cohort + "/invitations"), "username");
        refused(api(facilitator).body(Map.of("slug", "bi-chan", "name", "Ch\u0000an")).post("/api/cohorts/" + cohort + "/channels"), "name");
        refused(api(facilitator).body(Map.of("channel", cohort + "\u0000")).post("/api/threads/" + thread + "/move"), "channel");
        refused(api(facilitator).body(Map.of("reason", "Hid\u0000den")).put("/api/posts/" + post + "/hidden"), "reason");
        refused(api(facilitator).body(Map.of("cohort", cohort, "reason", "Qu\u0000iet")).put("/api/members/" + memberId + "/silence"), "reason");
        refused(api(admin).body(Map.of("reason", "Aw\u0000ay")).put("/api/members/" + memberId + "/suspension"), "reason");
        refused(api(admin).body(Map.of("action", "hide", "reason", "N\u0000o")).post("/api/review-queue/" + post + "/decision"), "reason");
        assertThat(changes()).as("rows written by the refused requests").isEqualTo(before);

        // The same in a page form: the form again, the field named.
        Response page = Pages.submit(admin, Pages.page(admin, "/cohorts"), "form.create-cohort",
                Map.of("name", "Nu\u0000l", "slug", "bi-page"));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(page.asString()).select("#cohort-name-error").text()).contains("NUL");
        assertThat(count("select count(*) from cohort where slug = $1", "bi-page")).isZero();
    }

    // ---------------------------------------------------------------- dates PostgreSQL cannot keep

    @Test
    void shouldRefuseDatesOutsideTheYearsOneToNineThousandNineHundredNinetyNine() {
        String admin = TestData.member("bi-admin", "admin");
        String facilitator = TestData.member("bi-fac");
        String member = TestData.member("bi-mem");
        String cohort = TestData.cohort(pool, facilitator, member);
        long memberId = count("select id from member where username = $1", member);
        String before = changes();
        for (String until : List.of("+294277-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "-4714-11-24T00:00:00Z")) {
            refused(api(admin).body(Map.of("until", until, "reason", "Away")).put("/api/members/" + memberId + "/suspension"), "until");
            refused(api(facilitator).body(Map.of("cohort", cohort, "until", until, "reason", "Quiet"))
                    .put("/api/members/" + memberId + "/silence"), "until");
        }
        for (String from : List.of("%2B294277-01-01", "%2B10000-01-01", "-4714-11-24", "0000-12-31")) {
            Response audit = given().urlEncodingEnabled(false).auth().oauth2(Keycloak.token(admin)).get("/api/audit?from=" + from);
            assertThat(audit.statusCode()).as(from).isEqualTo(400);
            assertThat(audit.jsonPath().getString("errors.from")).as(from).contains("between the years 1 and 9999");
        }
        assertThat(changes()).as("rows written by the refused requests").isEqualTo(before);

        Response page = raw(admin, "/audit?from=%2B99999-01-01");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(page.asString()).selectFirst("input#from").val()).isEqualTo("+99999-01-01");
        Response suspension = Pages.submit(admin, Pages.page(admin, "/members/" + member), "form.suspension-form",
                Map.of("until", "+99999-12-31", "reason", "Away"));
        assertThat(suspension.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(suspension.asString()).select("#until-error").text()).contains("between the years 1 and 9999");
        Response silence = Pages.submit(facilitator, Pages.page(facilitator, "/members/" + member),
                ".silence[data-cohort=" + cohort + "] form.silence-form", Map.of("until", "+99999-01-01T10:00", "reason", "Quiet"));
        assertThat(silence.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(silence.asString()).select("#until-" + cohort + "-error").text()).contains("between the years");
    }

    // ---------------------------------------------------------------- markdown nested too deeply

    @Test
    void shouldRefuseMarkdownNestedTooDeeplyOnPreviewAndPostWithAMessageOnTheBody() {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Deep thoughts", "How deep?");
        List<String> deep = List.of(">".repeat(2000), "- ".repeat(3000) + "x", "*".repeat(5000) + "x" + "*".repeat(5000));
        for (String body : deep) {
            String what = body.substring(0, 3);
            refused(api("bob").body(Map.of("body", body)).post("/api/preview"), "body");
            refused(api("bob").body(Map.of("body", body)).post("/api/threads/" + thread + "/posts"), "body");
            Response preview = Pages.submit("bob", Pages.page("bob", "/threads/" + thread), ".reply-box form.composer",
                    Map.of("body", body, "action", "preview"));
            assertThat(preview.statusCode()).as(what).isEqualTo(400);
            Document again = Jsoup.parse(preview.asString());
            assertThat(again.selectFirst("textarea#body").val()).as(what).isEqualTo(body);
            assertThat(again.select("#body-error").text()).as(what).contains("nests");
        }
        assertThat(count("select count(*) from post where thread_id = $1", thread)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- invitations the mailer cannot send

    @Test
    void shouldRefuseAnAddressTheMailerCannotParseBeforeWritingAnything() {
        String facilitator = TestData.member("bi-fac");
        String cohort = TestData.cohort(pool, facilitator);
        String before = changes();
        for (String email : List.of("a<b@example.org", "a,b@example.org", "Alice <alice@example.org>", "a b@example.org",
                "alice@exa(mple).org", "\"a\"@example.org")) {
            refused(api(facilitator).body(Map.of("email", email)).post("/api/cohorts/" + cohort + "/invitations"), "email");
        }
        assertThat(changes()).as("rows written by the refused invitations").isEqualTo(before);
        assertThat(count("select count(*) from audit_entry where action = 'cohort.invite' and target_id = $1", cohort)).isZero();
    }

    @Test
    void shouldKeepAnInvitationWhoseMailFailsAfterItWasSaved() {
        String facilitator = TestData.member("bi-fac");
        String cohort = TestData.cohort(pool, facilitator);
        // A member whose address, as the identity provider gave it, the mailer cannot parse.
        String invitee = TestData.memberRow(pool, "bi-row");
        pool.preparedQuery("update member set email = $2 where username = $1")
                .execute(Tuple.of(invitee, "Broken <address")).await().indefinitely();
        Response made = api(facilitator).body(Map.of("username", invitee)).post("/api/cohorts/" + cohort + "/invitations");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(made.jsonPath().getBoolean("mailed")).isFalse();
        assertThat(made.jsonPath().getString("link")).contains("/cohorts/" + cohort + "/join?token=");
        assertThat(count("select count(*) from cohort_invitation i join cohort c on c.id = i.cohort_id "
                + "where c.slug = $1 and i.revoked_at is null", cohort)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- JSON of the wrong type

    @Test
    void shouldRefuseJsonOfTheWrongTypeWith400NamingTheField() {
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread("alice", channel, "Typed fields", "Text.");
        long post = TestData.openingPost("alice", thread);
        String before = changes();
        refused(api("alice").body("{\"title\": 12345, \"body\": \"Numbers are not titles\"}").post("/api/channels/" + channel + "/threads"), "title");
        refused(api("alice").body("{\"title\": \"A fine title\", \"body\": true}").post("/api/channels/" + channel + "/threads"), "body");
        refused(api("alice").body("{\"title\": \"A fine title\", \"body\": \"Text\", \"tags\": [1]}").post("/api/channels/" + channel + "/threads"), "tags.0");
        refused(api("alice").body("{\"title\": \"A fine title\", \"body\": \"Text\", \"anonymous\": \"no\"}").post("/api/channels/" + channel + "/threads"), "anonymous");
        refused(api("bob").body("{\"body\": true}").post("/api/threads/" + thread + "/posts"), "body");
        refused(api("bob").body("{\"body\": 3.5}").post("/api/threads/" + thread + "/posts"), "body");
        refused(api("bob").body("{\"body\": {\"text\": \"x\"}}").post("/api/threads/" + thread + "/posts"), "body");
        refused(api("bob").body("{\"body\": [\"x\"]}").post("/api/threads/" + thread + "/posts"), "body");
        refused(api("bob").body("{\"body\": \"Text\", \"replyTo\": \"" + post + "\"}").post("/api/threads/" + thread + "/posts"), "replyTo");
        refused(api("bob").body("{\"body\": \"Text\", \"replyTo\": 1.5}").post("/api/threads/" + thread + "/posts"), "replyTo");
        refused(api("alice").body("{\"body\": \"Edited\", \"version\": \"1\"}").patch("/api/posts/" + post), "version");
        refused(api("alice").body("{\"hour\": \"7\"}").put("/api/preferences"), "hour");
        refused(api("alice").body("{\"emailOnMention\": 1}").put("/api/preferences"), "emailOnMention");
        refused(api("alice").body("{\"digest\": false}").put("/api/preferences"), "digest");
        refused(api("bob").body("{\"reason\": 7}").post("/api/posts/" + post + "/flags"), "reason");
        assertThat(changes()).as("rows written by the refused requests").isEqualTo(before);

        for (String notJson : List.of("{\"body\": ", "body=text", "[1, 2", "{\"body\": \"x\", \"replyTo\": 99999999999999999999}")) {
            Response response = api("bob").body(notJson).post("/api/threads/" + thread + "/posts");
            assertThat(response.statusCode()).as(notJson).isEqualTo(400);
            assertThat(response.contentType()).as(notJson).startsWith(Problem.MEDIA_TYPE);
        }
        assertThat(changes()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- a form field over the limit, sent in chunks

    @Test
    void shouldAnswer413NotA500ForAFormFieldOverTheLimitSentWithoutALength() throws Exception {
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Chunked", "Text.");
        Document page = Pages.page("bob", "/threads/" + thread);
        Map<String, String> cookies = new HashMap<>(Pages.cookies("bob"));
        String csrf = page.selectFirst(".reply-box form.composer input[name=csrf-token]").val();
        // Over quarkus.http.limits.max-form-attribute-size (10M), in chunks: no Content-Length for Quarkus to refuse
        // it by, so the form parser meets it, and its 413 comes from the body's data handler.
        byte[] head = ("csrf-token=" + csrf + "&action=post&body=").getBytes(StandardCharsets.US_ASCII);
        InputStream body = new SequenceInputStream(new ByteArrayInputStream(head), new InputStream() {
            long left = 11L * 1024 * 1024;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        });
        HttpRequest request = HttpRequest.newBuilder(URI.create(Browser.appUrl() + "/threads/" + thread + "/posts"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        assertThat(count("select count(*) from post where thread_id = $1", thread)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private static RequestSpecification api(String username) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON);
    }

    private static Response raw(String username, String path) {
        return given().urlEncodingEnabled(false).cookies(new HashMap<>(Pages.cookies(username))).redirects().follow(false)
                .get(path);
    }

    /** A 400 problem that names the field. */
    private static void refused(Response response, String field) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(response.jsonPath().getMap("errors")).as(response.asString()).containsKey(field);
    }

    private long count(String sql, Object param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().iterator().next().getLong(0);
    }

    /**
     * A fingerprint of the content a refusal here could have written: every row of the tables these requests write
     * to, and of member rows what moderation changes (the rest of a member row follows the login token).
     */
    private String changes() {
        StringBuilder sql = new StringBuilder("select ");
        List<String> tables = List.of("thread", "post", "post_revision", "cohort", "cohort_member", "channel",
                "cohort_invitation", "audit_entry", "flag", "cohort_silence", "member_preference", "notification");
        for (String table : tables) {
            sql.append("(select md5(coalesce(string_agg(md5(x::text), '' order by md5(x::text)), '')) from ").append(table)
                    .append(" x) || ");
        }
        sql.append("(select md5(coalesce(string_agg(md5(x::text), '' order by md5(x::text)), '')) from "
                + "(select id, suspended_until, suspension_reason from member) x) as fingerprint");
        return pool.query(sql.toString()).execute().await().indefinitely().iterator().next().getString("fingerprint");
    }
}
