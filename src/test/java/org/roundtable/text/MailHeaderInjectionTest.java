package org.roundtable.text;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.roundtable.digest.MentionMails;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Mailbox;
import org.roundtable.support.TestData;

/**
 * Mail header injection: text that members wrote (a thread title, a cohort name, a name) never adds a header to a mail
 * that Roundtable sends. The titles here are stored directly, as data written before the input rules (or by any other
 * path) would be: the mails built from them carry exactly the headers Roundtable sets, read back from the SMTP server.
 */
@QuarkusTest
class MailHeaderInjectionTest {

    /** What a member typed into the title field (the form sends CR LF; stored text has LF only). */
    static final List<String> INJECTIONS = List.of(
            "Hi\r\nReply-To: x@evil\r\nContent-Type: text/html\r\n\r\n<h1>Pay here</h1>",
            "Hi\nReply-To: x@evil\nContent-Type: text/html\n\n<h1>Pay here</h1>",
            "Hi\rBcc: x@evil",
            "Hi\u2028Reply-To: x@evil\u0085Bcc: y@evil");

    /** Headers the SMTP server adds on receipt. */
    static final Set<String> ADDED_BY_THE_SERVER = Set.of("received", "return-path");

    @Mailbox.Inject
    GreenMail greenMail;

    @Inject
    Pool pool;

    @Inject
    MentionMails mentionMails;

    record Member(String username, String email, String name) {
    }

    static Member member(String prefix) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, "Pat", "Doe");
        given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200);
        return new Member(username, username + "@test.roundtable.test", "Pat Doe");
    }

    void sql(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }

    static Set<String> headerNames(MimeMessage mail) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Header header : Collections.list(mail.getAllHeaders())) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (!ADDED_BY_THE_SERVER.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    static List<String> addresses(Address[] all) {
        List<String> out = new ArrayList<>();
        if (all != null) {
            for (Address a : all) {
                out.add(a.toString());
            }
        }
        return out;
    }

    @Test
    void shouldKeepEveryMentionMailToTheHeadersRoundtableSetsWhateverTheThreadTitleSays() throws Exception {
        Member writer = member("hdr-writer");
        String channel = TestData.networkChannel(pool);
        List<Member> mentioned = new ArrayList<>();
        for (String injection : INJECTIONS) {
            Member reader = member("hdr-reader");
            mentioned.add(reader);
            long thread = TestData.thread(writer.username(), channel, "A harmless title", "Opening");
            TestData.reply(writer.username(), thread, null, "@" + reader.username() + " what do you think?");
            sql("update thread set title = $2 where id = $1", thread, injection);
        }

        mentionMails.send(Clock.fixed(Instant.now().plus(1, ChronoUnit.MINUTES), ZoneOffset.UTC))
                .await().atMost(Duration.ofMinutes(1));

        List<MimeMessage> mails = new ArrayList<>();
        for (int i = 0; i < INJECTIONS.size(); i++) {
            Member reader = mentioned.get(i);
            List<MimeMessage> received = Mailbox.to(greenMail, reader.email());
            assertThat(received).as("mails to %s", reader.email()).hasSize(1);
            MimeMessage mail = received.get(0);
            mails.add(mail);
            // nothing the title says became a header, a recipient or a body
            assertThat(mail.getHeader("Reply-To")).as("Reply-To of the mail for title %d", i).isNull();
            assertThat(mail.getHeader("Bcc")).as("Bcc of the mail for title %d", i).isNull();
            assertThat(mail.getHeader("Content-Type")).hasSize(1);
            assertThat(mail.getContentType()).startsWith("multipart/alternative");
            assertThat(addresses(mail.getAllRecipients())).containsExactly(reader.email());
            assertThat(addresses(mail.getReplyTo())).containsExactly("Roundtable <roundtable@localhost>"); // From
            assertThat(Mailbox.part(mail, "text/plain")).contains("what do you think?");
            assertThat(Mailbox.part(mail, "text/html")).doesNotContain("<h1>Pay here</h1>");
        }
        for (int i = 0; i < mails.size(); i++) {
            // the title stays in the subject, on one line, isolated
            String expected = "\u2068" + writer.name() + "\u2069 mentioned you: \u2068"
                    + TextRules.oneLine(INJECTIONS.get(i)) + "\u2069";
            assertThat(mails.get(i).getSubject()).isEqualTo(expected);
        }
        for (int i = 0; i < mails.size(); i++) {
            // exactly the headers Roundtable sets (the mail client always writes a Cc header, empty here)
            assertThat(headerNames(mails.get(i))).as("headers of the mail for title %d", i).containsExactlyInAnyOrder(
                    "auto-submitted", "cc", "content-type", "date", "from", "list-unsubscribe", "list-unsubscribe-post",
                    "message-id", "mime-version", "subject", "to");
            assertThat(mails.get(i).getHeader("Cc")).containsExactly("");
        }
    }

    @Test
    void shouldKeepTheInvitationMailToTheHeadersRoundtableSetsWhateverTheCohortIsCalled() throws Exception {
        given().auth().oauth2(Keycloak.token("fran")).get("/api/me").then().statusCode(200);
        String cohort = TestData.cohort(pool, "fran");
        String name = "Cohort\nBcc: x@evil\nContent-Type: text/html\n\n<h1>Pay here</h1>";
        sql("update cohort set name = $2 where slug = $1", cohort, name);
        String invitee = "invitee-" + System.nanoTime() + "@test.roundtable.test";

        given().auth().oauth2(Keycloak.token("fran")).contentType(ContentType.JSON).body(Map.of("email", invitee))
                .post("/api/cohorts/" + cohort + "/invitations").then().statusCode(201);

        List<MimeMessage> received = new ArrayList<>();
        for (int i = 0; i < 100 && received.isEmpty(); i++) {
            received = Mailbox.to(greenMail, invitee);
            if (received.isEmpty()) {
                greenMail.waitForIncomingEmail(100, greenMail.getReceivedMessages().length + 1);
            }
        }
        assertThat(received).hasSize(1);
        MimeMessage mail = received.get(0);
        assertThat(headerNames(mail)).containsExactlyInAnyOrder("cc", "content-type", "date", "from", "message-id",
                "mime-version", "subject", "to", "content-transfer-encoding");
        assertThat(mail.getHeader("Cc")).containsExactly("");
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(addresses(mail.getRecipients(Message.RecipientType.TO))).containsExactly(invitee);
        assertThat(addresses(mail.getAllRecipients())).containsExactly(invitee);
        assertThat(mail.getContentType()).startsWith("text/plain");
        assertThat(mail.getSubject()).isEqualTo("Invitation to the cohort \u2068" + TextRules.oneLine(name) + "\u2069");
        // no other mail went anywhere because of it
        for (MimeMessage other : greenMail.getReceivedMessages()) {
            assertThat(addresses(other.getAllRecipients())).doesNotContain("x@evil");
        }
    }
}
