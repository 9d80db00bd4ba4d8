package org.roundtable.digest;

import static org.roundtable.security.Guardian.MEMBER_IS_ADMIN;
import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.mail.OutgoingMail;
import org.roundtable.text.TextRules;

/**
 * "Email me at once when someone mentions me": mention notifications are mailed by a job, each once: the
 * notification is marked ({@code emailed_at}) and mailed in one transaction, and a second instance that picked the same
 * row finds it marked and skips it, like a digest. A send that fails is tried again after a backoff that doubles, and
 * after {@code roundtable.digest.max-attempts} tries is marked failed ({@code mention_mail_retry}) for an admin. Suspended members get none. Every mail carries its own signed
 * one-click unsubscribe (RFC 8058: {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} headers, and a link in
 * both parts) that turns mention mails off, and nothing else.
 */
@ApplicationScoped
public class MentionMails {

    /** A mention due for mailing; {@code mailId} is its notification's Message-ID, fixed before the first try (V19). */
    public record Mention(long notificationId, String email, String memberName, long threadId, String threadTitle, long postId,
            String author, String excerpt, String url, String preferencesUrl, String unsubscribeUrl, String mailId) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance mentionText(Mention mention);

        static native TemplateInstance mentionHtml(Mention mention);
    }

    private final Database db;
    private final ReactiveMailer mailer;
    private final DigestMail mails;
    private final DigestConfig config;

    public MentionMails(Database db, ReactiveMailer mailer, DigestMail mails, DigestConfig config) {
        this.db = db;
        this.mailer = mailer;
        this.mails = mails;
        this.config = config;
    }

    // Mentions of the last day not yet mailed, to members who want them and may still see the post. A mention in an
    // anonymous post names its pseudonym, never a member, and is due at the end of the post's hour (its notification
    // is delivered then), so that neither its sending nor its headers tell the moment of the post.
    private static final String DUE = """
            select n.id, n.mail_id::text as mail_id, m.id as member_id, m.email, m.name, t.id as thread_id, t.title, p.id as post_id, p.pseudonym, a.name as actor_name,
                   left(p.source, 400) as excerpt
            from notification n
            join member m on m.id = n.member_id
            left join member_preference mp on mp.member_id = m.id
            join thread t on t.id = n.thread_id join channel c on c.id = t.channel_id
            join post p on p.id = n.post_id
            left join member a on a.id = p.author_id
            left join mention_mail_retry r on r.notification_id = n.id
            where n.kind = 'mention' and n.emailed_at is null
              and (r.notification_id is null or (r.failed_at is null and r.next_at <= $1)) and n.created_at > $1::timestamptz - interval '1 day'
              and n.created_at <= $1::timestamptz
              and m.email is not null and coalesce(mp.email_on_mention, true)
              and (m.suspended_until is null or m.suspended_until <= $1)
              and p.deleted_at is null and p.hidden_at is null and not p.held and %s and %s
            order by n.id limit 100
            """.formatted(visibleThread("t"), visibleChannel("c", "m.id", MEMBER_IS_ADMIN));

    /** Mails the mentions due now; returns how many were sent. */
    public Uni<Integer> send(Clock clock) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return db.list(DUE, Tuple.of(now), row -> new Mention(row.getLong("id"), row.getString("email"), row.getString("name"),
                row.getLong("thread_id"), row.getString("title"), row.getLong("post_id"),
                row.getString("pseudonym") != null ? Pseudonyms.handle(row.getString("pseudonym"))
                        : row.getString("actor_name") != null ? row.getString("actor_name") : "Someone",
                DigestBuilder.excerpt(row.getString("excerpt")),
                mails.baseUrl() + "/posts/" + row.getLong("post_id"),
                mails.baseUrl() + "/preferences", mails.mentionUnsubscribeUrl(row.getLong("member_id")), row.getString("mail_id")))
                .flatMap(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(m -> sendOne(m, now))
                        .collect().asList().map(sent -> (int) sent.stream().filter(ok -> ok).count()));
    }

    /**
     * The mail: user text in the subject isolated (FSI/PDI), every header made one line by {@link OutgoingMail}. The
     * job's clock dates it ({@code now}, the end of an anonymous post's hour at the earliest). Its Message-ID is the
     * notification's random {@code mail_id} at {@code domain}: the mailer's own would carry the millisecond it was sent,
     * and the same in every try means that a mail sent again after a crash between the relay's acceptance and the
     * commit (docs/reliability.md, "Mail") carries the Message-ID of the first, so a receiver can fold the two.
     */
    static Mail mail(Mention m, String text, String html, OffsetDateTime now, String domain) {
        Mail mail = OutgoingMail.of(m.email(), TextRules.isolated(m.author()) + " mentioned you: "
                + TextRules.isolated(m.threadTitle()), text, html);
        OutgoingMail.header(mail, "List-Unsubscribe", "<" + m.unsubscribeUrl() + ">");
        OutgoingMail.header(mail, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        OutgoingMail.header(mail, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(now));
        OutgoingMail.header(mail, "Message-ID", "<" + (m.mailId() != null ? m.mailId() : UUID.randomUUID()) + "@" + domain + ">");
        return OutgoingMail.header(mail, "Auto-Submitted", "auto-generated");
    }

    private Uni<Boolean> sendOne(Mention m, OffsetDateTime now) {
        return Templates.mentionText(m).createUni().flatMap(text -> Templates.mentionHtml(m).createUni().map(html ->
                mail(m, text, html, now, mails.mailDomain())))
                .flatMap(mail -> db.inTransaction(conn -> db.one(conn,
                        "update notification set emailed_at = $2 where id = $1 and emailed_at is null returning id",
                        Tuple.of(m.notificationId(), now), row -> true)
                        .flatMap(mine -> mine == null ? Uni.createFrom().item(false) : mailer.send(mail).replaceWith(true))))
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("Mention mail %d not sent: %s", m.notificationId(), failure.toString());
                    return db.execute(RETRY, Tuple.from(List.of(m.notificationId(), now,
                            (double) config.retryAfter().toMillis() / 1000.0, config.maxAttempts(), String.valueOf(failure))))
                            .replaceWith(false)
                            .onFailure().recoverWithItem(f -> false); // the database is what failed: tried again next run
                });
    }

    // A failed try: the next after a backoff that doubles with each try, or — the tries used up — failed, for an admin.
    private static final String RETRY = """
            insert into mention_mail_retry (notification_id, attempts, next_at, failed_at, last_error)
            values ($1, 1, $2 + make_interval(secs => $3), case when $4 <= 1 then $2 end, left($5, 500))
            on conflict (notification_id) do update set attempts = mention_mail_retry.attempts + 1,
                next_at = $2 + least(make_interval(secs => $3 * power(2, mention_mail_retry.attempts)), interval '15 minutes'),
                failed_at = case when mention_mail_retry.attempts + 1 >= $4 then $2 end,
                last_error = excluded.last_error
            """;
}
