package org.roundtable.mail;

import io.quarkus.mailer.Mail;
import java.util.regex.Pattern;
import org.roundtable.text.TextRules;

/**
 * Every mail Roundtable sends is made here, through the mailer's API ({@link Mail} setters and headers), never by
 * putting header lines together as strings. No header value can carry a line break, whatever the caller passes: a
 * thread title or a cohort name stored before the input rules refused line breaks, say. Every control character and
 * line or paragraph separator becomes a space ({@link TextRules#oneLine}), so a value such as
 * {@code "Hi\r\nReply-To: x@evil"} stays inside its own header. (The mail client encodes non-ASCII values as RFC 2047
 * words, but sends a bare line feed as it is: without this, a title with one would end the Subject and start new
 * headers.)
 */
public final class OutgoingMail {

    /** Header names: the token characters of RFC 5322 that Roundtable uses. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]{1,76}");

    private OutgoingMail() {
    }

    /**
     * A mail to one address with a subject, a plain-text part and, when {@code html} is not null, an HTML part. The
     * address and the subject are made one line; the parts are bodies, where line breaks belong.
     */
    public static Mail of(String to, String subject, String text, String html) {
        Mail mail = new Mail().addTo(TextRules.oneLine(to)).setSubject(TextRules.oneLine(subject)).setText(text);
        return html == null ? mail : mail.setHtml(html);
    }

    /** Adds a header; its value is made one line. A name that is not a plain header name is a programming error. */
    public static Mail header(Mail mail, String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a header name: " + name);
        }
        return mail.addHeader(name, TextRules.oneLine(value));
    }
}
