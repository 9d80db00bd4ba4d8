package org.roundtable.digest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.roundtable.digest.DigestConfig.Frequency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Mailbox;
import org.roundtable.support.TestData;

/**
 * Mail while the SMTP server is down (issue 18, docs/reliability.md): a digest or mention mail that cannot be sent is
 * tried again after a backoff (not before it), sent once the server is back, and never twice; after its tries are used
 * up it is failed, which admins see (GET /api/mail/failures) and send again (POST /api/mail/failures/retry). The
 * run's GreenMail is stopped and always started again.
 */
@QuarkusTest
class MailRetryTest {

    @Mailbox.Inject
    GreenMail greenMail;

    @Inject
    Pool pool;

    @Inject
    DigestService digests;

    @Inject
    MentionMails mentionMails;

    private boolean down;

    @AfterEach
    void smtpBack() {
        if (down) {
            greenMail.start();
        }
    }

    record Member(String username, long id, String email) {
    }

    static Member member(String prefix) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, "Rita", "Retry");
        long id = as(username).get("/api/me").then().statusCode(200).extract().jsonPath().getLong("id");
        return new Member(username, id, username + "@test.roundtable.test");
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }

    private void smtpDown() {
        greenMail.stop();
        down = true;
    }

    private void smtpUp() {
        greenMail.start();
        down = false;
    }

    /** A member with a daily digest due two hours ahead and a reply in a thread they watch; a moment after it is due. */
    private Instant digestDue(Member reader) {
        Member writer = member("writer");
        long thread = TestData.thread(writer.username(), TestData.networkChannel(pool), "Retry me", "Will the mail come?");
        as(reader.username()).body(Map.of("level", "watching")).put("/api/threads/" + thread + "/follow").then().statusCode(200);
        Instant due = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        as(reader.username()).body(Map.of("digest", "daily", "hour", due.atOffset(ZoneOffset.UTC).getHour(), "weekday", 1,
                "timeZone", "UTC")).put("/api/preferences").then().statusCode(200);
        TestData.reply(writer.username(), thread, null, "A reply for the digest.");
        return due.plus(5, ChronoUnit.MINUTES);
    }

    private void runAt(Instant now) {
        digests.run(Clock.fixed(now, ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(2));
    }

    private Row digestRow(Member member) {
        return pool.preparedQuery("select status, attempts, last_error, claimed_by, lease_until from digest where member_id = $1")
                .execute(Tuple.of(member.id())).await().indefinitely().iterator().next();
    }

    @Test
    void shouldTryADigestAgainAfterItsBackoffOnceTheSmtpServerIsBackAndSendItOnce() {
        Member reader = member("reader");
        Instant at = digestDue(reader);

        smtpDown();
        runAt(at);
        Row failed = digestRow(reader);
        assertThat(failed.getString("status")).isEqualTo("pending");
        assertThat(failed.getInteger("attempts")).isEqualTo(1);
        assertThat(failed.getString("last_error")).isNotBlank();
        assertThat(failed.getString("claimed_by")).as("released at once, not held for the lease").isNull();

        smtpUp();
        runAt(at.plusSeconds(2)); // within the backoff (5 s after the first try): not yet
        assertThat(Mailbox.to(greenMail, reader.email())).isEmpty();
        assertThat(digestRow(reader).getInteger("attempts")).isEqualTo(1);

        runAt(at.plusSeconds(6)); // after it: sent
        runAt(at.plusSeconds(60)); // and not again
        assertThat(Mailbox.to(greenMail, reader.email())).hasSize(1);
        assertThat(digestRow(reader).getString("status")).isEqualTo("sent");
    }

    @Test
    void shouldMarkADigestFailedAfterItsTriesShowItToAdminsOnlyAndSendItOnceWhenRetried() {
        Member reader = member("reader");
        Instant at = digestDue(reader);

        smtpDown();
        for (int i = 0; i < 8; i++) {
            runAt(at.plus(Duration.ofMinutes(16L * i))); // each try after the last one's backoff (at most 15 minutes)
        }
        Row row = digestRow(reader);
        assertThat(row.getString("status")).isEqualTo("failed");
        assertThat(row.getInteger("attempts")).isEqualTo(8);

        Response listed = as("ada").get("/api/mail/failures");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.jsonPath().getList("mails.findAll { it.kind == 'digest' }.username", String.class))
                .contains(reader.username());
        assertThat(listed.jsonPath().getLong("total")).isGreaterThanOrEqualTo(1);
        as("carmen").get("/api/mail/failures").then().statusCode(403);
        as("carmen").post("/api/mail/failures/retry").then().statusCode(403);

        smtpUp();
        runAt(at.plus(Duration.ofHours(3))); // failed is final: no more tries
        assertThat(Mailbox.to(greenMail, reader.email())).isEmpty();

        as("ada").post("/api/mail/failures/retry").then().statusCode(200);
        runAt(at.plus(Duration.ofHours(3)).plusSeconds(1));
        runAt(at.plus(Duration.ofHours(3)).plusSeconds(60));
        assertThat(Mailbox.to(greenMail, reader.email())).hasSize(1);
        assertThat(digestRow(reader).getString("status")).isEqualTo("sent");
    }

    @Test
    void shouldTryAMentionMailAgainAfterItsBackoffAndSendItOnce() {
        Member mentioned = member("mentioned");
        Member writer = member("writer");
        long thread = TestData.thread(writer.username(), TestData.networkChannel(pool), "Mention retry", "Who knows?");
        TestData.reply(writer.username(), thread, null, "@" + mentioned.username() + " you might.");
        Instant now = Instant.now().plus(1, ChronoUnit.MINUTES);

        smtpDown();
        mentionMails.send(Clock.fixed(now, ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(1));
        Row retry = pool.preparedQuery("select r.attempts, r.failed_at, r.last_error from mention_mail_retry r "
                + "join notification n on n.id = r.notification_id where n.member_id = $1")
                .execute(Tuple.of(mentioned.id())).await().indefinitely().iterator().next();
        assertThat(retry.getInteger("attempts")).isEqualTo(1);
        assertThat(retry.getValue("failed_at")).isNull();
        assertThat(retry.getString("last_error")).isNotBlank();

        smtpUp();
        mentionMails.send(Clock.fixed(now.plusSeconds(2), ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(1));
        assertThat(Mailbox.to(greenMail, mentioned.email())).as("not before the backoff").isEmpty();
        mentionMails.send(Clock.fixed(now.plusSeconds(6), ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(1));
        mentionMails.send(Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(1));
        assertThat(Mailbox.to(greenMail, mentioned.email())).hasSize(1);
    }

    // ---------------------------------------------------------------- the one duplicate SMTP leaves: same Message-ID

    private static List<String> messageIds(List<MimeMessage> mails) {
        return mails.stream().map(mail -> {
            try {
                return mail.getMessageID();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void shouldGiveADigestSentAgainAfterACrashBetweenTheRelaysAcceptanceAndTheCommitTheMessageIdOfTheFirst() throws Exception {
        Member reader = member("reader");
        Instant at = digestDue(reader);
        digests.plan(at, Frequency.weekly).await().atMost(Duration.ofMinutes(1));

        // The relay accepts the reader's mail (GreenMail has it), then the instance dies before its transaction commits:
        // the row is still pending, claimed by the dead worker until its lease runs out. (Other members' digests due
        // then, of other tests, are sent as usual.)
        DigestService.Worker dying = digests.worker().named("dies-after-250").sendingTo(mail -> digests.worker().sink().apply(mail)
                .onItem().transformToUni(sent -> mail.getTo().stream().anyMatch(reader.email()::equalsIgnoreCase)
                        ? Uni.createFrom().<Void>failure(new DigestService.SimulatedCrash("dies-after-250"))
                        : Uni.createFrom().<Void>voidItem()));
        assertThatThrownBy(() -> digests.work(Clock.fixed(at, ZoneOffset.UTC), dying).await().atMost(Duration.ofMinutes(1)))
                .isInstanceOf(DigestService.SimulatedCrash.class);
        assertThat(Mailbox.to(greenMail, reader.email())).hasSize(1);
        assertThat(digestRow(reader).getString("status")).isEqualTo("pending");

        // After the lease, another worker sends it: the duplicate SMTP cannot prevent, with the first one's Message-ID.
        runAt(at.plus(digests.worker().lease()).plusSeconds(1));
        List<MimeMessage> mails = Mailbox.to(greenMail, reader.email());
        assertThat(mails).hasSize(2);
        assertThat(messageIds(mails)).doesNotContainNull().containsOnly(messageIds(mails).get(0));
        assertThat(mails.get(0).getSubject()).isEqualTo(mails.get(1).getSubject());
        assertThat(digestRow(reader).getString("status")).isEqualTo("sent");
    }

    @Test
    void shouldGiveAMentionMailSentAgainAfterACrashBetweenTheRelaysAcceptanceAndTheCommitTheMessageIdOfTheFirst() {
        Member mentioned = member("mentioned");
        Member writer = member("writer");
        long thread = TestData.thread(writer.username(), TestData.networkChannel(pool), "Mention twice", "Who knows?");
        TestData.reply(writer.username(), thread, null, "@" + mentioned.username() + " you might.");
        Instant now = Instant.now().plus(1, ChronoUnit.MINUTES);

        // A failed try first (the relay down), then the mail is accepted.
        smtpDown();
        mentionMails.send(Clock.fixed(now, ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(1));
        smtpUp();
        mentionMails.send(Clock.fixed(now.plusSeconds(6), ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(1));
        assertThat(Mailbox.to(greenMail, mentioned.email())).hasSize(1);

        // A crash between the relay's acceptance and the commit leaves the notification as it was before the
        // transaction that marked it: not mailed. The next run sends it again, with the same Message-ID.
        long rolledBack = pool.preparedQuery("update notification set emailed_at = null where member_id = $1 and kind = 'mention' "
                + "returning id").execute(Tuple.of(mentioned.id())).await().indefinitely().rowCount();
        assertThat(rolledBack).isEqualTo(1);
        mentionMails.send(Clock.fixed(now.plusSeconds(7), ZoneOffset.UTC)).await().atMost(Duration.ofMinutes(1));
        List<MimeMessage> mails = Mailbox.to(greenMail, mentioned.email());
        assertThat(mails).hasSize(2);
        assertThat(messageIds(mails)).doesNotContainNull().containsOnly(messageIds(mails).get(0));
        assertThat(messageIds(mails).get(0)).matches("<[0-9a-f-]{36}@[^>]+>");
    }
}
