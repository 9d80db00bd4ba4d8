package org.roundtable.anonymity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.LocalStackResource;
import org.roundtable.support.Management;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * The leak test of the undiscussables: alice writes anonymously; then everything the app shows or keeps is searched
 * for anything that ties her to those posts — every page and API response as every demo user and as alice herself,
 * the notifications, the application log, the metrics, and a pg_dump of the whole database. Each check is shown to
 * fail on a planted link (the control cases), so a check that cannot fail does not pass for one that works.
 */
@QuarkusTest
class AnonymityLeakTest {

    static final List<String> VIEWERS = List.of("alice", "bob", "carmen", "fran", "ada");
    static final Set<String> MEMBER_COLUMNS = Set.of("author_id", "member_id", "editor_id", "actor_id", "flagger_id",
            "blocked_by", "created_by");

    @Inject
    Pool pool;

    @Inject
    org.roundtable.digest.DigestService digests;

    @org.roundtable.support.Mailbox.Inject
    com.icegreen.greenmail.util.GreenMail greenMail;

    /** What identifies alice. */
    record Identity(long id, String subject, List<String> words) {
    }

    /** What identifies her anonymous writing. */
    record Writing(Set<Long> threads, Set<Long> posts, Set<String> pseudonyms, Set<String> titles) {
    }

    @Test
    void shouldLeaveNothingThatTiesAliceToHerAnonymousPosts() throws Exception {
        for (String user : VIEWERS) {
            given().auth().oauth2(Keycloak.token(user)).get("/api/me").then().statusCode(200);
        }
        TestData.networkOfAtLeast(pool, 8);
        String channel = TestData.channel(pool, "undiscussables");
        Identity alice = identity();
        // Everyone gets a daily digest at the same hour; bob and carmen watch the channel.
        java.time.Instant due = java.time.Instant.now().plus(2, java.time.temporal.ChronoUnit.HOURS)
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        for (String user : VIEWERS) {
            given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON)
                    .body(Map.of("digest", "daily", "hour", due.atOffset(java.time.ZoneOffset.UTC).getHour(), "weekday", 1,
                            "timeZone", "UTC"))
                    .put("/api/preferences").then().statusCode(200);
        }
        for (String watcher : List.of("bob", "carmen")) {
            given().auth().oauth2(Keycloak.token(watcher)).contentType(ContentType.JSON).body(Map.of("level", "watching"))
                    .put("/api/channels/" + channel + "/follow").then().statusCode(200);
        }

        long first = thread("alice", channel, "Our superintendent's pet project is failing",
                "Nobody dares to say it. @carmen, you saw the numbers too.");
        long second = thread("alice", channel, "I disagree with the budget cut to counselling", "And I cannot say so.");
        long bobs = reply("bob", first, null, "You are not alone in this.");
        long alicesReply = reply("alice", first, bobs, "Thank you, that helps.");
        long alicesOther = reply("alice", second, null, "More detail on the counselling cut.");
        given().auth().oauth2(Keycloak.token("alice")).contentType(ContentType.JSON)
                .body(Map.of("body", "More detail on the counselling cut, edited.", "version", 1))
                .patch("/api/posts/" + alicesOther).then().statusCode(200);
        given().auth().oauth2(Keycloak.token("carmen")).put("/api/posts/" + alicesReply + "/reactions/thanks")
                .then().statusCode(200);
        Writing writing = writing(List.of(first, second));
        assertThat(writing.posts()).contains(alicesReply, alicesOther);

        // 1. Every API response and page that shows or lists those posts, as every demo user and as alice.
        List<String> apiPaths = new ArrayList<>(List.of("/api/channels", "/api/channels/" + channel + "/threads",
                "/api/notifications", "/api/review-queue/held"));
        for (long thread : writing.threads()) {
            apiPaths.add("/api/threads/" + thread);
        }
        for (long post : writing.posts()) {
            apiPaths.add("/api/posts/" + post);
            apiPaths.add("/api/posts/" + post + "/revisions");
        }
        for (String viewer : VIEWERS) {
            for (String path : apiPaths) {
                String body = given().auth().oauth2(Keycloak.token(viewer)).get(path).then().extract().asString();
                assertNoIdentity(viewer + " GET " + path, body, alice);
            }
        }
        List<String> pagePaths = new ArrayList<>(List.of("/channels", "/channels/" + channel, "/"));
        for (long thread : writing.threads()) {
            pagePaths.add("/threads/" + thread);
        }
        pagePaths.add("/posts/" + alicesOther + "/revisions");
        for (String viewer : VIEWERS) {
            Map<String, String> cookies = Sessions.cookies(viewer);
            for (String path : pagePaths) {
                String html = given().cookies(cookies).redirects().follow(false).get(path).then().statusCode(200)
                        .extract().asString();
                assertNoIdentity(viewer + " page " + path, withoutViewerChrome(html), alice);
            }
            // Her profile and "my posts" never list anonymous threads, nor count them.
            String profile = given().cookies(cookies).get("/members/alice").then().statusCode(200).extract().asString();
            for (String title : writing.titles()) {
                assertThat(profile).as(viewer + " sees alice's profile").doesNotContain(title);
            }
        }

        // 2. The mails the app sends: the digests of that day (and any mention mail) show her posts under pseudonyms.
        digests.run(java.time.Clock.fixed(due.plus(5, java.time.temporal.ChronoUnit.MINUTES), java.time.ZoneOffset.UTC))
                .await().atMost(java.time.Duration.ofMinutes(2));
        boolean seen = false;
        for (String viewer : VIEWERS) {
            String email = rows("select email from member where username = $1", Tuple.of(viewer)).get(0).getString("email");
            for (jakarta.mail.internet.MimeMessage mail : org.roundtable.support.Mailbox.to(greenMail, email)) {
                String body = mailText(mail);
                boolean aboutWriting = writing.titles().stream().anyMatch(body::contains);
                if (viewer.equals("alice")) {
                    assertThat(aboutWriting).as("alice's own mail lists her anonymous threads").isFalse();
                } else if (aboutWriting) {
                    seen = true;
                    assertThat(body).contains("Anonymous · ");
                    assertNoIdentity("mail to " + viewer, body, alice);
                }
            }
        }
        assertThat(seen).as("a digest showed the anonymous threads (else the mail check proves nothing)").isTrue();

        // 3. Notifications: carmen's mention names nobody.
        List<Row> mention = rows("select actor_id from notification n join member m on m.id = n.member_id "
                + "where m.username = 'carmen' and n.post_id = any($1)", Tuple.of(writing.posts().toArray(Long[]::new)));
        assertThat(mention).isNotEmpty().allSatisfy(r -> assertThat(r.getLong("actor_id")).isNull());

        // 4. The application log and the metrics.
        List<String> log = Files.readAllLines(Path.of("target", "roundtable-test.log"), StandardCharsets.UTF_8);
        assertThat(logLinks(log, alice, writing)).isEmpty();
        String metrics = given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
        assertThat(identityIn(metrics, alice)).as("metrics").isNull();

        // 5. A dump of the whole database (digest deliveries included).
        assertThat(dumpLinks(pgDump(), alice, writing)).isEmpty();

        // Control cases: each check finds a link when one is planted.
        assertThat(identityIn("{\"author\":{\"name\":\"Alice Alvarez\"}}", alice)).isNotNull();
        assertThat(logLinks(List.of("posting reply " + alicesReply + " for alice@demo.roundtable.test"), alice, writing))
                .isNotEmpty();
        assertThat(logLinks(List.of("GET /posts/" + alicesReply + " by alice@demo.roundtable.test"), alice, writing))
                .isNotEmpty();
        // A number that only looks like her post's id (a date, a port) is not a reference to it.
        assertThat(logLinks(List.of("2026-11-" + alicesReply + " mail for alice@demo.roundtable.test on port 1"
                + alicesReply + "0"), alice, writing)).isEmpty();
        pool.preparedQuery("insert into notification (member_id, kind, thread_id, post_id) values ($1, 'reply', $2, $3)")
                .execute(Tuple.of(alice.id(), first, bobs)).await().indefinitely();
        try {
            assertThat(dumpLinks(pgDump(), alice, writing)).isNotEmpty();
        } finally {
            pool.preparedQuery("delete from notification where member_id = $1 and post_id = $2 and kind = 'reply'")
                    .execute(Tuple.of(alice.id(), bobs)).await().indefinitely();
        }
    }

    /** The text of every part of a mail. */
    private static String mailText(jakarta.mail.Part part) throws Exception {
        Object content = part.getContent();
        if (content instanceof jakarta.mail.Multipart multipart) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                text.append(mailText(multipart.getBodyPart(i))).append('\n');
            }
            return text.toString();
        }
        return String.valueOf(content);
    }

    private long thread(String user, String channel, String title, String body) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private long reply(String user, long thread, Long replyTo, String body) {
        Map<String, Object> json = new HashMap<>();
        json.put("body", body);
        json.put("replyTo", replyTo);
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON).body(json)
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private Identity identity() {
        Row row = rows("select id, subject, username, name, email from member where username = 'alice'", Tuple.tuple()).get(0);
        return new Identity(row.getLong("id"), row.getString("subject"),
                List.of(row.getString("subject"), row.getString("username"), row.getString("name"), row.getString("email"),
                        "Alice", "Alvarez"));
    }

    /** Her posts: every post in the two threads that carries one of her two pseudonyms. */
    private Writing writing(List<Long> threads) {
        Set<Long> posts = new HashSet<>();
        Set<String> pseudonyms = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (Row row : rows("select t.id, t.title, t.author_pseudonym from thread t where t.id = any($1)",
                Tuple.of(threads.toArray(Long[]::new)))) {
            pseudonyms.add(row.getString("author_pseudonym"));
            titles.add(row.getString("title"));
        }
        for (Row row : rows("select id from post where pseudonym = any($1)", Tuple.of(pseudonyms.toArray(String[]::new)))) {
            posts.add(row.getLong("id"));
        }
        return new Writing(Set.copyOf(threads), posts, pseudonyms, titles);
    }

    /** The first identifying word of alice found in a text, or null. "Alice" alone is searched as a word. */
    static String identityIn(String text, Identity alice) {
        for (String word : alice.words()) {
            if (word != null && java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(word) + "\\b",
                    java.util.regex.Pattern.CASE_INSENSITIVE).matcher(text).find()) {
                return word;
            }
        }
        return null;
    }

    private static void assertNoIdentity(String where, String text, Identity alice) {
        assertThat(identityIn(text, alice)).as(where + " names alice:\n" + text).isNull();
    }

    /** A page without what is about the viewer rather than the posts: the header (the viewer's own name) and forms' tokens. */
    private static String withoutViewerChrome(String html) {
        Document page = Jsoup.parse(html);
        page.select("header.site-header, [data-viewer]").remove();
        page.select("input[type=hidden]").remove();
        StringBuilder out = new StringBuilder(page.text());
        for (Element element : page.getAllElements()) {
            element.attributes().forEach(a -> out.append(' ').append(a.getValue()));
        }
        return out.toString();
    }

    /**
     * How a line refers to a post or a thread by id: as a word naming it ("post 29", "reply 29", "post_id=29",
     * "/posts/29", "#post-29"), never a bare number, which a date or a port in the same line would match by chance.
     */
    static final java.util.function.Function<Long, java.util.regex.Pattern> REFERS_TO_POST = id -> java.util.regex.Pattern
            .compile("(?i)\\b(?:posts?|reply|replies|post_id|postId)\\b[\\s:=#/\"'-]{0,3}" + id + "(?!\\d)");
    static final java.util.function.Function<Long, java.util.regex.Pattern> REFERS_TO_THREAD = id -> java.util.regex.Pattern
            .compile("(?i)\\b(?:threads?|thread_id|threadId)\\b[\\s:=#/\"'-]{0,3}" + id + "(?!\\d)");

    /** Log lines that mention her anonymous writing and her in the same line. */
    static List<String> logLinks(List<String> log, Identity alice, Writing writing) {
        List<String> links = new ArrayList<>();
        for (String line : log) {
            boolean aboutWriting = writing.pseudonyms().stream().anyMatch(line::contains)
                    || writing.titles().stream().anyMatch(line::contains)
                    || writing.posts().stream().anyMatch(id -> REFERS_TO_POST.apply(id).matcher(line).find())
                    || writing.threads().stream().anyMatch(id -> REFERS_TO_THREAD.apply(id).matcher(line).find());
            if (aboutWriting && identityIn(line, alice) != null) {
                links.add(line);
            }
        }
        return links;
    }

    private String pgDump() throws IOException, InterruptedException {
        Path bin = Files.list(Path.of("/usr/lib/postgresql")).sorted(java.util.Comparator.reverseOrder())
                .map(v -> v.resolve("bin/pg_dump")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("pg_dump not found"));
        Process process = new ProcessBuilder(bin.toString(), "-h", "localhost", "-p", String.valueOf(LocalStackResource.PG_PORT),
                "-U", "roundtable", "--data-only", "roundtable").redirectErrorStream(false).start();
        String dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(dump).contains("COPY public.post ");
        return dump;
    }

    /**
     * Rows of the dump that are about her anonymous writing (they carry one of its thread or post ids in a column that
     * refers to threads or posts, or one of its pseudonyms) and name her: her member id in a member column, or her
     * name, username, email or subject in any field.
     */
    static List<String> dumpLinks(String dump, Identity alice, Writing writing) {
        List<String> links = new ArrayList<>();
        String table = null;
        List<String> columns = List.of();
        for (String line : dump.split("\n")) {
            if (line.startsWith("COPY ")) {
                table = line.substring(5, line.indexOf(' ', 5));
                columns = List.of(line.substring(line.indexOf('(') + 1, line.indexOf(')')).split(", "));
                continue;
            }
            if (line.equals("\\.")) {
                table = null;
                continue;
            }
            if (table == null) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            boolean aboutWriting = false;
            boolean namesHer = false;
            for (int i = 0; i < fields.length && i < columns.size(); i++) {
                String column = columns.get(i);
                String value = fields[i];
                boolean threadColumn = column.equals("thread_id") || (table.equals("public.thread") && column.equals("id"));
                boolean postColumn = column.equals("post_id") || column.equals("reply_to_id") || column.equals("accepted_post_id")
                        || (table.equals("public.post") && column.equals("id"))
                        || (table.equals("public.audit_entry") && column.equals("target_id"));
                if ((threadColumn && writing.threads().stream().anyMatch(id -> value.equals(String.valueOf(id))))
                        || (postColumn && writing.posts().stream().anyMatch(id -> value.equals(String.valueOf(id))))
                        || writing.pseudonyms().contains(value)) {
                    aboutWriting = true;
                }
                if (MEMBER_COLUMNS.contains(column) && value.equals(String.valueOf(alice.id()))) {
                    namesHer = true;
                }
                if (identityIn(value, alice) != null) {
                    namesHer = true;
                }
            }
            if (aboutWriting && namesHer) {
                links.add(table + ": " + line);
            }
        }
        return links;
    }

    private List<Row> rows(String sql, Tuple params) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(params).await().indefinitely().forEach(rows::add);
        return rows;
    }
}
