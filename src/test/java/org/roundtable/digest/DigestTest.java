package org.roundtable.digest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestConfig.Frequency;
import org.roundtable.security.SignedLinks;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Mailbox;
import org.roundtable.support.TestData;

/**
 * Digests against the real stack and a real SMTP server (GreenMail): content, headers, one-click unsubscribe, what a
 * member may see, and exactly-once delivery with a simulated clock and several workers.
 */
@QuarkusTest
class DigestTest {

    @Mailbox.Inject
    GreenMail greenMail;

    /** Where the app's links point (in production an https address, as List-Unsubscribe needs). */
    final String BASE_URL = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("roundtable.base-url", String.class);

    @Inject
    Pool pool;

    @Inject
    DigestService digests;

    @Inject
    SignedLinks links;

    @Inject
    Database database;

    // ---------------------------------------------------------------- helpers

    record Member(String username, long id, String email) {
    }

    Member member(String prefix) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, prefix.substring(0, 1).toUpperCase() + prefix.substring(1), "Reader");
        long id = as(username).get("/api/me").then().statusCode(200).extract().jsonPath().getLong("id");
        return new Member(username, id, username + "@test.roundtable.test");
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    static RequestSpecification as(Member member) {
        return as(member.username());
    }

    void prefer(Member member, String digest, int hour, int weekday) {
        as(member).body(Map.of("digest", digest, "hour", hour, "weekday", weekday, "timeZone", "UTC"))
                .put("/api/preferences").then().statusCode(200);
    }

    void follow(Member member, String what, String level) {
        as(member).body(Map.of("level", level)).put("/api/" + what + "/follow").then().statusCode(200);
    }

    /** A daily preference whose send time is the next whole hour after now + 1 h; returns a moment just after it. */
    Instant dailyAfterNow(Member... members) {
        Instant due = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        int hour = due.atOffset(ZoneOffset.UTC).getHour();
        for (Member m : members) {
            prefer(m, "daily", hour, 1);
        }
        return due.plus(5, ChronoUnit.MINUTES);
    }

    DigestService.Run runAt(Instant now) {
        return digests.run(Clock.fixed(now, ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(2));
    }

    List<MimeMessage> mails(Member member) {
        return Mailbox.to(greenMail, member.email());
    }

    long count(String sql) {
        return pool.query(sql).execute().await().indefinitely().iterator().next().getLong(0);
    }

    void sql(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }

    // ---------------------------------------------------------------- content, parts and headers

    @Test
    void shouldSendExactlyOneDigestWithBothPartsAndTheUnsubscribeHeadersAfterAReplyInAFollowedThread() throws Exception {
        Member reader = member("reader");
        Member writer = member("writer");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(writer.username(), channel, "Teacher retention ideas", "What works for you?");
        follow(reader, "threads/" + thread, "watching");
        Instant at = dailyAfterNow(reader);
        TestData.reply(writer.username(), thread, null, "We started peer mentoring & <b>it</b> helped.");

        DigestService.Run first = runAt(at);
        assertThat(first.sent()).isGreaterThanOrEqualTo(1);
        runAt(at.plus(1, ChronoUnit.MINUTES)); // the same period again: nothing new is planned or sent

        List<MimeMessage> received = mails(reader);
        assertThat(received).hasSize(1);
        MimeMessage mail = received.get(0);
        assertThat(mail.getSubject()).contains("1 conversation");
        String text = Mailbox.part(mail, "text/plain");
        String html = Mailbox.part(mail, "text/html");
        assertThat(text).contains("Teacher retention ideas").contains("We started peer mentoring & <b>it</b> helped.")
                .contains(BASE_URL + "/threads/" + thread);
        Document doc = Jsoup.parse(html);
        assertThat(doc.select(".thread a").first().attr("href")).isEqualTo(BASE_URL + "/threads/" + thread);
        assertThat(doc.select(".post").text()).contains("We started peer mentoring & <b>it</b> helped.");
        assertThat(doc.select("b")).isEmpty(); // the post's text is escaped, not markup
        assertThat(doc.select("img, script")).isEmpty(); // no remote images, no scripts

        String unsubscribe = mail.getHeader("List-Unsubscribe")[0];
        assertThat(unsubscribe).startsWith("<" + BASE_URL + "/digest/unsubscribe?token=").endsWith(">");
        assertThat(mail.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(doc.select("a.unsubscribe").attr("href")).isEqualTo(unsubscribe.substring(1, unsubscribe.length() - 1));
        assertThat(text).doesNotContain(writer.username() + "@");
    }

    @Inject
    MentionMails mentionMails;

    @Test
    void shouldMailAMentionRightAwayAndOnlyOnce() throws Exception {
        Member mentioned = member("mentioned");
        Member writer = member("writer");
        String channel = TestData.networkChannel(pool);
        long thread = TestData.thread(writer.username(), channel, "Budget season questions", "Who has done zero-based budgeting?");
        TestData.reply(writer.username(), thread, null, "@" + mentioned.username() + " you ran this last year, how did it go?");

        Clock now = Clock.fixed(Instant.now().plus(1, ChronoUnit.MINUTES), ZoneOffset.UTC);
        int sent = mentionMails.send(now).await().atMost(Duration.ofMinutes(1));
        mentionMails.send(now).await().atMost(Duration.ofMinutes(1)); // sent once: the second run finds nothing due

        assertThat(sent).isGreaterThanOrEqualTo(1);
        List<MimeMessage> received = mails(mentioned);
        assertThat(received).hasSize(1);
        String text = Mailbox.part(received.get(0), "text/plain");
        assertThat(text).contains("Budget season questions").contains("you ran this last year");
    }

    @Test
    void shouldNotMailTheMembersOwnPostsOrMutedThreadsAndNothingWhenEmpty() {
        Member reader = member("reader");
        Member writer = member("writer");
        String channel = TestData.networkChannel(pool);
        follow(reader, "channels/" + channel, "watching");
        long muted = TestData.thread(writer.username(), channel, "A thread I muted", "Noise");
        follow(reader, "threads/" + muted, "muted");
        TestData.reply(writer.username(), muted, null, "More noise");
        TestData.thread(reader.username(), channel, "My own question", "Mine");
        Member idle = member("idle");
        Instant at = dailyAfterNow(reader, idle);

        runAt(at);
        assertThat(mails(reader)).isEmpty();
        assertThat(mails(idle)).isEmpty();
        long empty = pool.preparedQuery("select count(*) from digest where member_id = any($1) and status = 'empty'")
                .execute(Tuple.of(new Long[] { reader.id(), idle.id() })).await().indefinitely().iterator().next().getLong(0);
        assertThat(empty).isEqualTo(2);
    }

    // ---------------------------------------------------------------- one-click unsubscribe

    @Test
    void shouldUnsubscribeWithOneClickWithoutLoginAndRefuseTamperedExpiredAndOtherPurposeTokens() throws Exception {
        Member reader = member("reader");
        Member writer = member("writer");
        String channel = TestData.networkChannel(pool);
        follow(reader, "channels/" + channel, "watching");
        Instant at = dailyAfterNow(reader);
        TestData.thread(writer.username(), channel, "Budget season is here", "Plan early");
        runAt(at);
        List<MimeMessage> received = mails(reader);
        assertThat(received).hasSize(1);
        String header = received.get(0).getHeader("List-Unsubscribe")[0];
        String path = header.substring(header.indexOf("/digest/"), header.length() - 1);
        String token = path.substring(path.indexOf("token=") + 6);

        // GET shows a confirm page and changes nothing
        Document confirm = Jsoup.parse(given().redirects().follow(false).get(path).then().statusCode(200).extract().asString());
        assertThat(confirm.select("form[method=post]").attr("action")).isEqualTo(path);
        assertThat(as(reader).get("/api/preferences").then().extract().jsonPath().getString("digest")).isEqualTo("daily");

        // refused: tampered, expired, made for another purpose — nothing changes
        String tampered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
        assertRefused(tampered, "not valid");
        assertRefused(links.sign(DigestMail.UNSUBSCRIBE, Map.of("sub", String.valueOf(reader.id())), Duration.ofHours(-2)),
                "expired");
        assertRefused(links.sign("cohort-invitation", Map.of("sub", String.valueOf(reader.id())), Duration.ofHours(1)),
                "made for something else");
        assertThat(as(reader).get("/api/preferences").then().extract().jsonPath().getString("digest")).isEqualTo("daily");
        assertThatThrownBy(() -> links.verify(tampered, DigestMail.UNSUBSCRIBE)).isInstanceOf(SignedLinks.InvalidLink.class);

        // RFC 8058 one-click: a POST with the form body, no cookie, no CSRF token
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .post(path).then().statusCode(200).body(containsString("unsubscribed"));
        assertThat(as(reader).get("/api/preferences").then().extract().jsonPath().getString("digest")).isEqualTo("off");

        // The next day there is news again: a member who stayed subscribed gets it, the one who left does not.
        Member stayer = member("stayer");
        follow(stayer, "channels/" + channel, "watching");
        prefer(stayer, "daily", at.atOffset(ZoneOffset.UTC).getHour(), 1);
        long next = TestData.thread(writer.username(), channel, "Another budget thread", "More");
        OffsetDateTime tomorrow = at.atOffset(ZoneOffset.UTC).plusHours(12);
        sql("update post set created_at = $2 where thread_id = $1", next, tomorrow);
        sql("update thread set created_at = $2, last_posted_at = $2 where id = $1", next, tomorrow);
        runAt(at.plus(1, ChronoUnit.DAYS));
        assertThat(mails(reader)).hasSize(1);
        assertThat(Mailbox.part(mails(stayer).get(0), "text/plain")).contains("Another budget thread");
    }

    private void assertRefused(String token, String reason) {
        for (String method : List.of("GET", "POST")) {
            String page = given().redirects().follow(false).contentType(ContentType.URLENC)
                    .formParam("List-Unsubscribe", "One-Click").request(method, "/digest/unsubscribe?token=" + token)
                    .then().statusCode(400).extract().asString();
            assertThat(Jsoup.parse(page).select(".detail").text()).contains(reason);
        }
    }

    // ---------------------------------------------------------------- what this member may see

    @Test
    void shouldShowEachMemberOnlyWhatTheyMaySeeNothingFromACohortTheyLeftAndNoHiddenPosts() throws Exception {
        Member insider = member("insider");
        Member outsider = member("outsider");
        Member leaver = member("leaver");
        Member writer = member("writer");
        String tag = "digest-" + Long.toHexString(System.nanoTime()).substring(4);
        String network = TestData.networkChannel(pool);
        String cohort = TestData.cohortUndiscussables(pool, insider.username(), leaver.username(), writer.username());
        sql("update channel set kind = 'cohort' where slug = $1", cohort);
        for (Member m : List.of(insider, outsider, leaver)) {
            follow(m, "tags/" + tag, "watching");
        }
        Instant at = dailyAfterNow(insider, outsider, leaver);
        long open = threadWithTag(writer, network, "Open thread about " + tag, tag);
        long closed = threadWithTag(writer, cohort, "Cohort secret about " + tag, tag);
        long hidden = TestData.reply(writer.username(), open, null, "A reply a facilitator hid");
        sql("update post set hidden_at = now() where id = $1", hidden);
        sql("delete from cohort_member where member_id = $1", leaver.id());

        runAt(at);
        String insiderText = Mailbox.part(mails(insider).get(0), "text/plain");
        assertThat(insiderText).contains("Open thread about").contains("Cohort secret about");
        for (Member m : List.of(outsider, leaver)) {
            List<MimeMessage> received = mails(m);
            assertThat(received).hasSize(1);
            String text = Mailbox.part(received.get(0), "text/plain");
            assertThat(text).contains("Open thread about").doesNotContain("Cohort secret").doesNotContain("/threads/" + closed);
            assertThat(text).doesNotContain("A reply a facilitator hid");
        }
        assertThat(insiderText).doesNotContain("A reply a facilitator hid");
    }

    private long threadWithTag(Member writer, String channel, String title, String tag) {
        return as(writer).body(Map.of("title", title, "body", "Body of " + title, "tags", List.of(tag)))
                .post("/api/channels/" + channel + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void shouldGiveAnAnonymousAuthorTheDigestEveryoneWhoFollowsTheSameGetsAndShowOnlyThePseudonym() throws Exception {
        Member reader = member("reader");
        Member secret = member("secret");
        Member writer = member("writer");
        TestData.networkOfAtLeast(pool, 8);
        String undiscussables = TestData.channel(pool, "undiscussables");
        for (Member m : List.of(reader, secret)) {
            follow(m, "channels/" + undiscussables, "watching");
        }
        Instant at = dailyAfterNow(reader, secret);
        long thread = as(secret).body(Map.of("title", "A decision I regret", "body", "I cannot say this under my name"))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        String handle = as(reader).get("/api/threads/" + thread).then().extract().jsonPath().getString("author.pseudonym");
        long opening = TestData.openingPost(reader.username(), thread);
        Map<String, Object> reply = new HashMap<>();
        reply.put("body", "You are not alone in this");
        reply.put("replyTo", opening);
        as(writer).body(reply).post("/api/threads/" + thread + "/posts").then().statusCode(201);

        runAt(at);
        String readerText = Mailbox.part(mails(reader).get(0), "text/plain");
        String html = Mailbox.part(mails(reader).get(0), "text/html");
        assertThat(readerText).contains("A decision I regret").contains(handle).contains("I cannot say this");
        for (String part : List.of(readerText, html)) {
            assertThat(part).doesNotContain(secret.username()).doesNotContain("Secret Reader");
        }
        // The author's digest is the reader's: her own anonymous post in it, under its handle, and nothing more (a
        // digest that lacked her post, or counted replies to it, would be the one that names her).
        List<MimeMessage> secretMails = mails(secret);
        assertThat(secretMails).hasSize(1);
        assertThat(news(Mailbox.part(secretMails.get(0), "text/plain"))).isEqualTo(news(readerText));
        assertThat(secretMails.get(0).getSubject()).isEqualTo(mails(reader).get(0).getSubject());
        List<String> rows = new ArrayList<>();
        pool.preparedQuery("select status, item_count from digest where member_id = any($1) and due_at <= $2 order by member_id")
                .execute(Tuple.of(new Long[] { reader.id(), secret.id() }, at.atOffset(ZoneOffset.UTC))).await().indefinitely()
                .forEach(r -> rows.add(r.getString("status") + " " + r.getInteger("item_count")));
        assertThat(rows).hasSize(2).containsOnly(rows.get(0)).first().asString().startsWith("sent ");
    }

    /** What a digest's text says about the threads: everything between the greeting and the footer. */
    private static String news(String text) {
        String lines = text.replace("\r\n", "\n");
        return lines.substring(lines.indexOf("What is new"), lines.indexOf("\n--\n"));
    }

    // ---------------------------------------------------------------- schedule, with a simulated clock

    @Test
    void shouldSendAWeeklyMemberOneDigestAndADailyMemberSevenOverEightSimulatedDays() {
        Member daily = member("daily");
        Member weekly = member("weekly");
        Member writer = member("writer");
        String channel = TestData.networkChannel(pool);
        follow(daily, "channels/" + channel, "watching");
        follow(weekly, "channels/" + channel, "watching");
        // Day 0 starts at midnight UTC, two days ahead; the members chose at 08:00 on day 0.
        OffsetDateTime day0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(2);
        DayOfWeek weekday = day0.plusDays(4).getDayOfWeek();
        prefer(daily, "daily", 7, 1);
        prefer(weekly, "weekly", 7, weekday.getValue());
        sql("update member_preference set updated_at = $2 where member_id = any($1)",
                new Long[] { daily.id(), weekly.id() }, day0.plusHours(8));
        // One new thread a day, at 03:00 of days 1 to 7 (the clock of posts is simulated too).
        List<Long> threads = new ArrayList<>();
        for (int day = 1; day <= 7; day++) {
            long thread = TestData.thread(writer.username(), channel, "News of day " + day, "Something happened");
            sql("update post set created_at = $2 where thread_id = $1", thread, day0.plusDays(day).plusHours(3));
            sql("update thread set created_at = $2, last_posted_at = $2 where id = $1", thread, day0.plusDays(day).plusHours(3));
            threads.add(thread);
        }
        // Eight days, one tick an hour: from 08:00 on day 0 to 23:00 on day 7.
        for (OffsetDateTime tick = day0.plusHours(8); tick.isBefore(day0.plusDays(8)); tick = tick.plusHours(1)) {
            runAt(tick.toInstant());
        }
        List<MimeMessage> dailies = mails(daily);
        assertThat(dailies).hasSize(7);
        assertThat(mails(weekly)).hasSize(1);
        for (int day = 1; day <= 7; day++) {
            String text = Mailbox.part(dailies.get(day - 1), "text/plain");
            assertThat(text).contains("News of day " + day).doesNotContain("News of day " + (day + 1));
        }
        String weeklyText = Mailbox.part(mails(weekly).get(0), "text/plain");
        assertThat(weeklyText).contains("News of day 1").contains("News of day 4").doesNotContain("News of day 5");
    }

    @Test
    void shouldApplyAChangedNetworkDefaultToMembersWhoNeverChose() {
        Member undecided = member("undecided");
        Member chooser = member("chooser");
        prefer(chooser, "weekly", 7, 1);
        Instant at = Instant.now().plus(3, ChronoUnit.DAYS);
        Long[] both = { undecided.id(), chooser.id() };

        digests.plan(at, Frequency.off).await().indefinitely();
        assertThat(planned(both, "daily")).isZero();
        assertThat(planned(new Long[] { undecided.id() }, "weekly")).isZero();

        digests.plan(at, Frequency.daily).await().indefinitely();
        assertThat(planned(new Long[] { undecided.id() }, "daily")).isEqualTo(1);
        assertThat(planned(new Long[] { chooser.id() }, "daily")).isZero();
        assertThat(as(undecided).get("/api/preferences").then().extract().jsonPath().getString("digest")).isEqualTo("default");
    }

    private long planned(Long[] members, String frequency) {
        return pool.preparedQuery("select count(*) from digest where member_id = any($1) and frequency = $2")
                .execute(Tuple.of(members, frequency)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void shouldBuildABatchInAFixedNumberOfStatementsWhateverItsSize() {
        Member writer = member("writer");
        String channel = TestData.networkChannel(pool);
        List<Member> readers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Member reader = member("counted");
            follow(reader, "channels/" + channel, "watching");
            readers.add(reader);
        }
        Instant at = dailyAfterNow(readers.toArray(Member[]::new));
        TestData.thread(writer.username(), channel, "Counted statements", "Body");
        digests.plan(at, Frequency.weekly).await().indefinitely();

        long before = database.statementCount();
        DigestService.Run run = digests.work(Clock.fixed(at, ZoneOffset.UTC), digests.worker().withBatchSize(1000))
                .await().atMost(Duration.ofMinutes(1));
        long statements = database.statementCount() - before;
        assertThat(run.sent()).isGreaterThanOrEqualTo(12);
        // claim, the content statement's plan choice, content, mark the empty ones, the claim that finds nothing left —
        // plus one statement per mail (the row flipped to sent in the mail's transaction) and a heartbeat per 25 mails
        assertThat(statements - run.sent() - run.sent() / 25).isLessThanOrEqualTo(5);
    }

    // ---------------------------------------------------------------- several workers, one of them dying

    @Test
    void shouldDeliverEachDigestExactlyOnceWithTwoWorkersAndWhenOneDiesMidBatch() throws Exception {
        Member writer = member("writer");
        String channel = TestData.networkChannel(pool);
        List<Member> readers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Member reader = member("many");
            follow(reader, "channels/" + channel, "watching");
            readers.add(reader);
        }
        Instant at = dailyAfterNow(readers.toArray(Member[]::new));
        TestData.thread(writer.username(), channel, "Something for everyone", "Read me");
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        digests.plan(at, Frequency.weekly).await().indefinitely();

        // Worker A dies after two mails, still holding the rest of its batch.
        DigestService.Worker a = digests.worker().named("worker-a").withBatchSize(4).crashingAfter(2);
        assertThatThrownBy(() -> digests.work(clock, a).await().indefinitely()).isInstanceOf(DigestService.SimulatedCrash.class);
        assertThat(count("select count(*) from digest where claimed_by = 'worker-a' and status = 'pending'"))
                .as("digests left with the dead worker's lease").isPositive();

        // Two workers on two threads share the rest; the dead worker's claim is not theirs while its lease runs.
        CompletableFuture<DigestService.Run> b = CompletableFuture.supplyAsync(
                () -> digests.work(clock, digests.worker().named("worker-b").withBatchSize(3)).await().indefinitely());
        CompletableFuture<DigestService.Run> c = CompletableFuture.supplyAsync(
                () -> digests.work(clock, digests.worker().named("worker-c").withBatchSize(2)).await().indefinitely());
        CompletableFuture.allOf(b, c).get(2, TimeUnit.MINUTES);
        assertThat(b.get().sent()).isPositive();
        assertThat(c.get().sent()).isPositive();
        assertThat(count("select count(*) from digest where claimed_by = 'worker-a' and status = 'pending'")).isPositive();

        // Its lease runs out; the next workers take the rest over.
        Clock later = Clock.offset(clock, digests.worker().lease().plusSeconds(1));
        CompletableFuture<DigestService.Run> d = CompletableFuture.supplyAsync(
                () -> digests.work(later, digests.worker().named("worker-d")).await().indefinitely());
        CompletableFuture<DigestService.Run> e = CompletableFuture.supplyAsync(
                () -> digests.work(later, digests.worker().named("worker-e")).await().indefinitely());
        CompletableFuture.allOf(d, e).get(2, TimeUnit.MINUTES);
        assertThat(count("select count(*) from digest where claimed_by = 'worker-a' and status = 'pending'")).isZero();
        for (Member reader : readers) {
            assertThat(mails(reader)).as("mails to " + reader.username()).hasSize(1);
        }
    }
}
