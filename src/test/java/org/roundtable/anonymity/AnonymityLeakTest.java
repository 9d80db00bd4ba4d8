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
        // Digests other tests planned for these members (at the default hour, 07:00 UTC, which is this test's due hour
        // when it runs between 05:00 and 06:00) would make this period look done: they are forgotten first.
        pool.preparedQuery("delete from digest where member_id in (select id from member where username = any($1))")
                .execute(Tuple.of((Object) VIEWERS.toArray(String[]::new))).await().indefinitely();
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

    // ---------------------------------------------------------------- the attacker's timing analysis (issue 14)

    @Inject
    org.roundtable.digest.MentionMails mentionMails;

    @Inject
    RowShuffle shuffle;

    /**
     * A time as PostgreSQL (COPY, text) or ISO 8601 (pages, API; seconds left out when zero) print it; groups: minutes,
     * seconds, fraction.
     */
    static final java.util.regex.Pattern TIMESTAMP = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:(\\d{2})(?::(\\d{2})(\\.\\d+)?)?(Z|[+-]\\d{2}(:\\d{2})?)");

    /** Whether a matched time is a whole hour: no minutes, seconds or fraction. */
    static boolean wholeHour(java.util.regex.Matcher time) {
        return time.group(1).equals("00") && (time.group(2) == null || time.group(2).equals("00")) && time.group(3) == null;
    }

    /**
     * Ann writes anonymously between two named posts of others, whose moments are exact. An attacker then looks for
     * anything that places her writing between them more finely than its hour: ids (thread, post, notification and
     * revision sequences), the times of everything it caused (notifications, reactions, revisions, counters, digest
     * rows), the pages and the API, the mails and their headers, the application log, and a pg_dump (its values, and
     * the order its rows are in). Her digest and its stored row must be those of the others who follow the same, and her
     * badge must count what her list shows.
     */
    @Test
    void shouldLetNothingPlaceAnAnonymousPostAmongNamedPostsMoreFinelyThanItsHour() throws Exception {
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        String named = TestData.networkChannel(pool);
        String tag = Long.toHexString(System.nanoTime());
        String ann = TestData.member("ann");
        String ben = TestData.member("ben");
        String cat = TestData.member("cat");
        String dan = TestData.member("dan");
        Identity annIdentity = identity(ann);
        java.time.Instant due = java.time.Instant.now().plus(2, java.time.temporal.ChronoUnit.HOURS)
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        for (String member : List.of(ann, ben, cat)) {
            given().auth().oauth2(Keycloak.token(member)).contentType(ContentType.JSON)
                    .body(Map.of("digest", "daily", "hour", due.atOffset(java.time.ZoneOffset.UTC).getHour(), "weekday", 1,
                            "timeZone", "UTC"))
                    .put("/api/preferences").then().statusCode(200);
            given().auth().oauth2(Keycloak.token(member)).contentType(ContentType.JSON).body(Map.of("level", "watching"))
                    .put("/api/channels/" + undiscussables + "/follow").then().statusCode(200);
        }
        long bens = thread(ben, undiscussables, "Ben asks " + tag, "An anonymous question of Ben's.");
        long bensOpening = TestData.openingPost(ben, bens);
        long dans = namedReply(dan, bens, bensOpening, "Dan answers under his name.");

        // The timeline: a named post, Ann's anonymous writing, another named post.
        long before = thread(ben, named, "Before " + tag, "Ben, under his name: @" + cat + " look at this.");
        long hidden = thread(ann, undiscussables, "Hidden " + tag, "@" + cat + " @" + ben + " what do you think?");
        long hiddenOpening = TestData.openingPost(ann, hidden);
        given().auth().oauth2(Keycloak.token(ann)).contentType(ContentType.JSON)
                .body(Map.of("body", "@" + cat + " @" + ben + " what do you both think?", "version", 1))
                .patch("/api/posts/" + hiddenOpening).then().statusCode(200);
        given().auth().oauth2(Keycloak.token(ann)).put("/api/posts/" + bensOpening + "/reactions/thanks").then().statusCode(200);
        long annsReply = reply(ann, bens, dans, "Anonymously: I disagree, Dan.");
        long after = thread(cat, named, "After " + tag, "Cat, under her name: @" + ben + " what now?");
        long beforePost = TestData.openingPost(ben, before);
        long afterPost = TestData.openingPost(cat, after);
        Writing writing = writing(List.of(hidden));
        Set<String> pseudonyms = new HashSet<>(writing.pseudonyms());
        pseudonyms.add(rows("select pseudonym from post where id = $1", Tuple.of(annsReply)).get(0).getString(0));
        Set<Long> annsPosts = Set.of(hiddenOpening, annsReply);
        Writing anns = new Writing(Set.of(hidden), annsPosts, pseudonyms, writing.titles());
        java.time.OffsetDateTime hour = rows("select created_at from post where id = $1", Tuple.of(hiddenOpening)).get(0)
                .getOffsetDateTime(0);
        java.time.Instant hourEnd = hour.toInstant().plus(1, java.time.temporal.ChronoUnit.HOURS);

        // 1. Ids: nothing she wrote or caused has an id between the named posts' (a sequence would give it one).
        between("thread", List.of(before, after), List.of(hidden));
        between("post", List.of(beforePost, afterPost), List.copyOf(annsPosts));
        List<Long> namedNotifications = ids("select id from notification where post_id = any($1) and kind = 'mention' order by id",
                new Long[] { beforePost, afterPost });
        List<Long> annsNotifications = ids("select id from notification where post_id = any($1) order by id",
                annsPosts.toArray(Long[]::new));
        assertThat(namedNotifications).hasSize(2);
        assertThat(annsNotifications).as("mentions of cat and ben, and the reply to dan").hasSize(3);
        between("notification", namedNotifications, annsNotifications);
        between("post_revision", List.of(), ids("select id from post_revision where post_id = $1", hiddenOpening));

        // 2. Mails: the mentions she wrote are due at the end of her hour, not before; their headers say that hour.
        java.time.Clock lastSecond = java.time.Clock.fixed(hourEnd.minusSeconds(1), java.time.ZoneOffset.UTC);
        mentionMails.send(lastSecond).await().atMost(java.time.Duration.ofMinutes(1));
        assertThat(mailsAbout(cat, "Before " + tag)).hasSize(1);
        assertThat(mailsAbout(cat, "Hidden " + tag)).as("mailed before the hour's end").isEmpty();
        mentionMails.send(java.time.Clock.fixed(hourEnd, java.time.ZoneOffset.UTC)).await().atMost(java.time.Duration.ofMinutes(1));
        for (String mentioned : List.of(cat, ben)) {
            List<jakarta.mail.internet.MimeMessage> mails = mailsAbout(mentioned, "Hidden " + tag);
            assertThat(mails).as(mentioned).hasSize(1);
            jakarta.mail.internet.MimeMessage mail = mails.get(0);
            assertThat(java.time.ZonedDateTime.parse(mail.getHeader("Date")[0],
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).isEqualTo(hourEnd);
            assertThat(mail.getMessageID()).matches("<[0-9a-f-]{36}@[^>]+>");
            assertNoIdentity("mail to " + mentioned, mailText(mail) + mail.getSubject(), annIdentity);
            // Every header the app sets, and the text: no time of day but the hour's end. (The relay's Received line
            // and the mailer's MIME boundary carry the moment of sending, which the clock above holds back to the
            // hour's end; this test sends at once, so those two are left out.)
            java.util.Enumeration<jakarta.mail.Header> headers = mail.getAllHeaders();
            while (headers.hasMoreElements()) {
                jakarta.mail.Header header = headers.nextElement();
                if (!header.getName().equalsIgnoreCase("Received") && !header.getName().equalsIgnoreCase("Content-Type")) {
                    assertThat(header.getValue()).as(header.getName()).doesNotContainPattern("\\b\\d{2}:\\d{2}:\\d{2}\\b(?<!00:00)");
                }
            }
        }

        // 3. Notifications reach everyone at the hour's end (the test moves them there). Each badge counts exactly what
        //    its list shows (her own anonymous reply to her own post: AnonymityApiTest).
        sql("update notification set created_at = created_at - interval '1 hour' where post_id = any($1)",
                Tuple.of((Object) annsPosts.toArray(Long[]::new)));
        for (String member : List.of(ann, ben, cat, dan)) {
            io.restassured.path.json.JsonPath json = given().auth().oauth2(Keycloak.token(member)).get("/api/notifications")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> listed = json.getList("notifications");
            long unreadListed = listed.stream().filter(n -> !Boolean.TRUE.equals(n.get("read"))).count();
            assertThat(json.getInt("unread")).as(member + "'s badge").isEqualTo((int) Math.min(unreadListed, 100));
            List<Map<String, Object>> fromAnn = listed.stream()
                    .filter(n -> n.get("postId") != null && annsPosts.contains(((Number) n.get("postId")).longValue())).toList();
            Document page = Jsoup.parse(given().cookies(Sessions.cookies(member)).get("/notifications").then().statusCode(200)
                    .extract().asString());
            assertThat(page.select("a.nav-notifications .badge").text()).isEqualTo(unreadListed == 0 ? "" : String.valueOf(unreadListed));
            if (member.equals(ann)) {
                assertThat(fromAnn).isEmpty();
                continue;
            }
            assertThat(fromAnn).as(member).hasSize(1);
            assertThat((String) fromAnn.get(0).get("actorLabel")).startsWith("Anonymous · ");
            assertWholeHour(member + " API", String.valueOf(fromAnn.get(0).get("createdAt")));
            for (Element time : page.select("li.notification[data-id=" + fromAnn.get(0).get("id") + "] time")) {
                assertWholeHour(member + " page", time.attr("datetime"));
            }
        }

        // 4. Pages and API: every time shown of her posts, their revisions and what they caused is the hour.
        for (String viewer : List.of(ben, cat)) {
            String json = given().auth().oauth2(Keycloak.token(viewer)).get("/api/threads/" + hidden).then().statusCode(200)
                    .extract().asString();
            allWholeHours(viewer + " API thread", json);
            allWholeHours(viewer + " API revisions", given().auth().oauth2(Keycloak.token(viewer))
                    .get("/api/posts/" + hiddenOpening + "/revisions").then().statusCode(200).extract().asString());
            Document page = Jsoup.parse(given().cookies(Sessions.cookies(viewer)).get("/threads/" + hidden).then()
                    .statusCode(200).extract().asString());
            assertThat(page.select("article time")).isNotEmpty()
                    .allSatisfy(time -> assertWholeHour(viewer + " page", time.attr("datetime")));
            Document revisions = Jsoup.parse(given().cookies(Sessions.cookies(viewer)).get("/posts/" + hiddenOpening
                    + "/revisions").then().statusCode(200).extract().asString());
            assertThat(revisions.select("main time")).isNotEmpty()
                    .allSatisfy(time -> assertWholeHour(viewer + " revisions", time.attr("datetime")));
            Document bensThread = Jsoup.parse(given().cookies(Sessions.cookies(viewer)).get("/threads/" + bens).then()
                    .statusCode(200).extract().asString());
            assertThat(bensThread.select("[data-post-id=" + annsReply + "] time")).isNotEmpty()
                    .allSatisfy(time -> assertWholeHour(viewer + " reply", time.attr("datetime")));
        }

        // 5. Digests: hers is the one everyone who follows the same gets, and so is its stored row.
        digests.run(java.time.Clock.fixed(due.plus(5, java.time.temporal.ChronoUnit.MINUTES), java.time.ZoneOffset.UTC))
                .await().atMost(java.time.Duration.ofMinutes(2));
        Map<String, String> news = new HashMap<>();
        for (String member : List.of(ann, ben, cat)) {
            List<jakarta.mail.internet.MimeMessage> mails = org.roundtable.support.Mailbox.to(greenMail, member + "@test.roundtable.test")
                    .stream().filter(m -> subject(m).startsWith("Roundtable: ")).toList();
            assertThat(mails).as(member + "'s digest").hasSize(1);
            String text = org.roundtable.support.Mailbox.part(mails.get(0), "text/plain").replace("\r\n", "\n");
            news.put(member, text.substring(text.indexOf("What is new"), text.indexOf("\n--\n")));
            if (!member.equals(ann)) {
                assertNoIdentity("digest of " + member, text, annIdentity);
            }
        }
        assertThat(news.get(ann)).contains("Hidden " + tag).contains("Ben asks " + tag).contains("I disagree, Dan")
                .isEqualTo(news.get(ben)).isEqualTo(news.get(cat));
        List<String> digestRows = new ArrayList<>();
        for (Row row : rows("""
                select d.status, d.item_count, d.due_at, d.since from digest d join member m on m.id = d.member_id
                where m.username = any($1) order by m.username
                """, Tuple.of((Object) new String[] { ann, ben, cat }))) {
            digestRows.add(row.getString("status") + " " + row.getInteger("item_count") + " " + row.getValue("due_at")
                    + " " + row.getValue("since"));
        }
        assertThat(digestRows).hasSize(3).containsOnly(digestRows.get(0));

        // 6. The log: no line about her writing, so no line time-stamps it.
        List<String> log = Files.readAllLines(Path.of("target", "roundtable-test.log"), StandardCharsets.UTF_8);
        assertThat(log.stream().filter(line -> about(line, anns) || annsNotifications.stream()
                .anyMatch(id -> line.contains(String.valueOf(id))))).isEmpty();

        // 7. A pg_dump, once the hour's rows have been rewritten (at the hour's end, in production).
        shuffle.run().await().atMost(java.time.Duration.ofMinutes(1));
        // Every row of the timeline, named or not, and every row her writing caused, was written again by the shuffle,
        // in an order it drew at random: the order of the rows in the dump is not the order they were written in.
        String shuffledBy = rows("select (shuffled_by::text::bigint % 4294967296)::text from row_shuffle", Tuple.tuple())
                .get(0).getString(0);
        Long[] timelinePosts = { bensOpening, dans, beforePost, hiddenOpening, annsReply, afterPost };
        Long[] timelineThreads = { bens, before, hidden, after };
        Map<String, Tuple> checks = Map.of(
                "select count(*) from post where id = any($1) and xmin::text <> $2", Tuple.of(timelinePosts, shuffledBy),
                "select count(*) from thread where id = any($1) and xmin::text <> $2", Tuple.of(timelineThreads, shuffledBy),
                "select count(*) from notification where post_id = any($1) and xmin::text <> $2", Tuple.of(timelinePosts, shuffledBy),
                "select count(*) from reaction where post_id = any($1) and xmin::text <> $2", Tuple.of(timelinePosts, shuffledBy),
                "select count(*) from post_revision where post_id = any($1) and xmin::text <> $2", Tuple.of(timelinePosts, shuffledBy),
                "select count(*) from anonymous_counter where window_start >= $1 and xmin::text <> $2", Tuple.of(hour, shuffledBy));
        checks.forEach((check, params) -> assertThat(rows(check, params).get(0).getLong(0)).as(check).isZero());
        String dump = pgDump();
        List<String> aboutHer = dumpRowsAbout(dump, anns);
        assertThat(aboutHer).as("rows about her writing").hasSizeGreaterThanOrEqualTo(8);
        for (String row : aboutHer) {
            java.util.regex.Matcher time = TIMESTAMP.matcher(row);
            while (time.find()) {
                assertThat(wholeHour(time)).as(time.group() + " in " + row).isTrue();
            }
            String table = row.substring(0, row.indexOf(':'));
            if (Set.of("public.thread", "public.post", "public.notification", "public.post_revision").contains(table)) {
                long id = Long.parseLong(row.substring(row.indexOf(": ") + 2).split("\t")[0]);
                assertThat(AnonymousIds.anonymous(id)).as("the id of " + row).isTrue();
            }
        }
        // The counters: one row per counted post, keyed by HMACs, with nothing that groups them by author.
        assertThat(dump).contains("COPY public.anonymous_counter (key_hash, window_start) FROM stdin;");
        assertThat(dumpLinks(dump, annIdentity, anns)).isEmpty();
    }

    /**
     * The shuffle deletes a row and writes it again in one statement: a foreign key that cascades would take the
     * referencing rows along, and a trigger would fire as if the row were new. None may point at, or sit on, its tables.
     */
    @Test
    void shouldKeepTheTablesTheShuffleRewritesFreeOfCascadingKeysAndTriggers() {
        Tuple tables = Tuple.of((Object) RowShuffle.TABLES.toArray(String[]::new));
        List<String> keys = rows("""
                select conname || ' on ' || conrelid::regclass from pg_constraint
                where contype = 'f' and confrelid::regclass::text = any($1) and confdeltype <> 'a'
                """, tables).stream().map(r -> r.getString(0)).toList();
        assertThat(keys).as("foreign keys that do more than check at the end of the statement").isEmpty();
        // A trigger may sit on them only if it stands aside while the shuffle writes rows back as they were.
        List<String> triggers = rows("""
                select tgname || ' on ' || tgrelid::regclass from pg_trigger
                where not tgisinternal and tgrelid::regclass::text = any($1)
                  and pg_get_triggerdef(oid) not like '%current_setting(''roundtable.row_shuffle''::text, true) IS DISTINCT FROM ''on''::text%'
                """, tables).stream().map(r -> r.getString(0)).toList();
        assertThat(triggers).isEmpty();
        // and the check finds one when there is one
        assertThat(rows("""
                select count(*) from pg_constraint where contype = 'f' and confrelid::regclass::text = 'member'
                  and confdeltype <> 'a'
                """, Tuple.tuple()).get(0).getLong(0)).isPositive();
    }

    /** Anonymous ids are not between the named ones of the same table (a sequence would put them there). */
    private void between(String table, List<Long> namedIds, List<Long> anonymousIds) {
        assertThat(anonymousIds).as(table).isNotEmpty().allSatisfy(id -> {
            assertThat(AnonymousIds.anonymous(id)).as(table + " id " + id + " in the anonymous space").isTrue();
            for (long namedId : namedIds) {
                assertThat(AnonymousIds.anonymous(namedId)).as(table + " named id " + namedId).isFalse();
            }
        });
    }

    private List<Long> ids(String sql, Object param) {
        return rows(sql, Tuple.of(param)).stream().map(r -> r.getLong(0)).toList();
    }

    private List<jakarta.mail.internet.MimeMessage> mailsAbout(String member, String title) {
        return org.roundtable.support.Mailbox.to(greenMail, member + "@test.roundtable.test").stream()
                .filter(m -> subject(m).contains(title)).toList();
    }

    private static String subject(jakarta.mail.internet.MimeMessage mail) {
        try {
            return String.valueOf(mail.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertWholeHour(String where, String time) {
        java.util.regex.Matcher m = TIMESTAMP.matcher(time);
        assertThat(m.find()).as(where + ": a time in " + time).isTrue();
        assertThat(wholeHour(m)).as(where + ": " + time).isTrue();
    }

    private static void allWholeHours(String where, String text) {
        java.util.regex.Matcher m = TIMESTAMP.matcher(text);
        int found = 0;
        while (m.find()) {
            found++;
            assertWholeHour(where, m.group());
        }
        assertThat(found).as(where + " shows times").isPositive();
    }

    private static boolean about(String line, Writing writing) {
        return writing.pseudonyms().stream().anyMatch(line::contains)
                || writing.titles().stream().anyMatch(line::contains)
                || writing.posts().stream().anyMatch(id -> REFERS_TO_POST.apply(id).matcher(line).find() || line.contains(String.valueOf(id)))
                || writing.threads().stream().anyMatch(id -> REFERS_TO_THREAD.apply(id).matcher(line).find() || line.contains(String.valueOf(id)));
    }

    private void sql(String sql, Tuple params) {
        pool.preparedQuery(sql).execute(params).await().indefinitely();
    }

    private long namedReply(String user, long thread, Long replyTo, String body) {
        Map<String, Object> json = new HashMap<>();
        json.put("body", body);
        json.put("replyTo", replyTo);
        json.put("anonymous", false);
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON).body(json)
                .post("/api/threads/" + thread + "/posts").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** A member of the test realm (TestData.member) as what identifies them. */
    private Identity identity(String username) {
        Row row = rows("select id, subject, username, name, email from member where username = $1", Tuple.of(username)).get(0);
        return new Identity(row.getLong("id"), row.getString("subject"), List.of(row.getString("subject"),
                row.getString("username"), row.getString("name"), row.getString("email")));
    }

    /**
     * Rows of the dump about her writing (one of its thread or post ids in a column that refers to threads or posts,
     * or one of her pseudonyms in any field), as "table: line".
     */
    static List<String> dumpRowsAbout(String dump, Writing writing) {
        List<String> about = new ArrayList<>();
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
            for (int i = 0; i < fields.length && i < columns.size(); i++) {
                String column = columns.get(i);
                String value = fields[i];
                boolean threadColumn = column.equals("thread_id") || (table.equals("public.thread") && column.equals("id"));
                boolean postColumn = column.equals("post_id") || column.equals("reply_to_id") || column.equals("accepted_post_id")
                        || (table.equals("public.post") && column.equals("id"));
                if ((threadColumn && writing.threads().stream().anyMatch(id -> value.equals(String.valueOf(id))))
                        || (postColumn && writing.posts().stream().anyMatch(id -> value.equals(String.valueOf(id))))
                        || writing.pseudonyms().contains(value)) {
                    about.add(table + ": " + line);
                    break;
                }
            }
        }
        return about;
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
