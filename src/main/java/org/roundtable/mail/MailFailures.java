package org.roundtable.mail;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.problem.DomainException;

/**
 * Mails whose tries are used up (docs/reliability.md, "Mail"): digests with status 'failed' and mention mails with a
 * {@code mention_mail_retry.failed_at}. Admins see them with their last error and send them again; the count is also a
 * gauge ({@code roundtable_mail_failed}, read at each scrape from the last listing or retry) for alerts.
 */
@ApplicationScoped
public class MailFailures {

    /** One failed mail: what it was, to whom, how many tries, when it was given up and why. */
    public record Failure(String kind, String username, String what, int attempts, OffsetDateTime failedAt, String error) {
    }

    /** The failed mails (the newest 200) and how many there are in all. */
    public record Failures(long total, List<Failure> mails) {
    }

    private final Database db;
    private final AtomicLong failed = new AtomicLong();

    public MailFailures(Database db, MeterRegistry registry) {
        this.db = db;
        Gauge.builder("roundtable.mail.failed", failed, AtomicLong::get)
                .description("Mails given up after their tries (digests and mention mails), as last counted").register(registry);
    }

    private static final String LIST = """
            select 'digest' as kind, m.username, d.period_key as what, d.attempts, d.finished_at as failed_at, d.last_error
            from digest d join member m on m.id = d.member_id where d.status = 'failed'
            union all
            select 'mention', m.username, 'notification ' || n.id, r.attempts, r.failed_at, r.last_error
            from mention_mail_retry r join notification n on n.id = r.notification_id join member m on m.id = n.member_id
            where r.failed_at is not null
            order by failed_at desc limit 200
            """;

    private static final String COUNT = """
            select (select count(*) from digest where status = 'failed')
                 + (select count(*) from mention_mail_retry where failed_at is not null) as n
            """;

    /** The failed mails; admins only (403 for anyone else). */
    public Uni<Failures> list(Viewer viewer) {
        requireAdmin(viewer);
        return db.one(COUNT, Tuple.tuple(), row -> row.getLong("n")).flatMap(total -> {
            failed.set(total);
            return db.list(LIST, Tuple.tuple(), row -> new Failure(row.getString("kind"), row.getString("username"),
                    row.getString("what"), row.getInteger("attempts"), row.getOffsetDateTime("failed_at"),
                    row.getString("last_error"))).map(mails -> new Failures(total, mails));
        });
    }

    /**
     * Puts every failed mail back in the queue with its tries reset: the mail jobs send it at their next run (a mention
     * mail only while its notification is less than a day old, as any). Admins only. Gives how many were put back.
     */
    public Uni<Long> retry(Viewer viewer) {
        requireAdmin(viewer);
        return db.inTransaction(conn -> db.execute(conn, "update digest set status = 'pending', attempts = 0, claimed_by = null, "
                + "lease_until = null, finished_at = null where status = 'failed'", Tuple.tuple())
                .flatMap(digests -> db.execute(conn, "delete from mention_mail_retry where failed_at is not null", Tuple.tuple())
                        .map(mentions -> (long) digests.rowCount() + mentions.rowCount())))
                .invoke(n -> failed.set(0));
    }

    private static void requireAdmin(Viewer viewer) {
        Guardian.requireCanWrite(viewer);
        if (!viewer.isAdmin()) {
            throw DomainException.forbidden("Only admins see and retry failed mails.");
        }
    }
}
