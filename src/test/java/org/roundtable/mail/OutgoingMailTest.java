package org.roundtable.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.mailer.Mail;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.text.TextRules;

/** No header value of a mail made by {@link OutgoingMail} can carry a line break, whatever it was given. */
class OutgoingMailTest {

    @Test
    void shouldMakeEveryHeaderValueOneLineForEveryControlCharacterAndSeparator() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!TextRules.breaksLine(cp)) {
                continue;
            }
            String evil = "Hi" + new String(Character.toChars(cp)) + "Reply-To: x@evil";
            Mail mail = OutgoingMail.of("reader@example.org" + new String(Character.toChars(cp)), evil, "text\nbody",
                    "<p>html</p>");
            OutgoingMail.header(mail, "List-Unsubscribe", "<https://example.org/u?t=1>" + new String(Character.toChars(cp))
                    + "Bcc: y@evil");
            assertThat(TextRules.hasLineBreakOrControl(mail.getSubject())).as("subject, U+%04X", cp).isFalse();
            for (String to : mail.getTo()) {
                assertThat(TextRules.hasLineBreakOrControl(to)).as("to, U+%04X", cp).isFalse();
            }
            for (Map.Entry<String, List<String>> header : mail.getHeaders().entrySet()) {
                for (String value : header.getValue()) {
                    assertThat(TextRules.hasLineBreakOrControl(value)).as("%s, U+%04X", header.getKey(), cp).isFalse();
                }
            }
            assertThat(mail.getText()).isEqualTo("text\nbody"); // bodies keep their lines
        }
    }

    @Test
    void shouldRefuseAHeaderNameThatIsNotOne() {
        assertThatThrownBy(() -> OutgoingMail.header(new Mail(), "X-A\r\nBcc", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutgoingMail.header(new Mail(), "X-A: b", "v")).isInstanceOf(IllegalArgumentException.class);
    }
}
