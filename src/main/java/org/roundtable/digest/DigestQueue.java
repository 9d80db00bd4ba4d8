package org.roundtable.digest;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.roundtable.db.Database;

/**
 * The digest work table ({@code digest}) as a queue: claiming a batch of due periods with {@code FOR UPDATE SKIP
 * LOCKED} and a lease, the heartbeat that extends the lease, and each period's one way out of 'pending' — empty, sent
 * (in the transaction that sends its mail), or, after a failed send, back to the queue with a backoff and, its tries
 * used up, failed (docs/architecture.md, "Digests", steps 2 and 4).
 */
@ApplicationScoped
public class DigestQueue {

    private final Database db;
    private final DigestConfig config;

    public DigestQueue(Database db, DigestConfig config) {
        this.db = db;
        this.config = config;
    }

    private static final String CLAIM = """
            with picked as (
                select member_id, period_key from digest
                where status = 'pending' and due_at <= $1 and (lease_until is null or lease_until < $1)
                order by due_at, member_id
                limit $4
                for update skip locked
            ), claimed as (
                update digest d set claimed_by = $2, lease_until = $1 + make_interval(secs => $3), attempts = d.attempts + 1,
                       message_id = coalesce(d.message_id, gen_random_uuid()::text)
                from picked where d.member_id = picked.member_id and d.period_key = picked.period_key
                returning d.member_id, d.period_key, d.frequency, d.due_at, d.since, d.message_id
            )
            select c.member_id, c.period_key, c.frequency, c.due_at, c.message_id,
                   date_trunc('hour', c.since) as from_at, date_trunc('hour', c.due_at) as until_at,
                   m.email, m.name, ('admin' = any(m.roles)) as admin,
                   coalesce(m.suspended_until > $1, false) as suspended
            from claimed c join member m on m.id = c.member_id
            order by c.member_id
            """;

    /**
     * A claimed period of one member, with what the build needs to know of them. A member suspended when their period
     * is claimed gets nothing for it: the period is closed as empty, and the next one starts after it.
     */
    record Claimed(long memberId, String periodKey, String frequency, OffsetDateTime dueAt, OffsetDateTime from,
            OffsetDateTime until, String email, String name, boolean admin, boolean suspended, String messageId) {
    }

    /** Claims a batch of due, unleased periods for {@code worker}, leased until {@code now} plus its lease. */
    Uni<List<Claimed>> claim(Instant now, DigestService.Worker worker) {
        return db.list(CLAIM, Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), worker.id(), worker.lease().toSeconds(),
                worker.batchSize()), row -> new Claimed(row.getLong("member_id"), row.getString("period_key"),
                        row.getString("frequency"), row.getOffsetDateTime("due_at"), row.getOffsetDateTime("from_at"),
                        row.getOffsetDateTime("until_at"), row.getString("email"), row.getString("name"),
                        row.getBoolean("admin"), row.getBoolean("suspended"), row.getString("message_id")));
    }

    private static final String MARK_EMPTY = """
            update digest d set status = 'empty', finished_at = $1, item_count = 0
            from unnest($2::bigint[], $3::text[]) as e(member_id, period_key)
            where d.member_id = e.member_id and d.period_key = e.period_key and d.status = 'pending'
            """;

    // Locks the row (a second worker on the same row waits here, then finds it no longer pending) and marks it sent;
    // the mail goes out before the transaction commits.
    private static final String MARK_SENT = """
            update digest set status = 'sent', finished_at = $3, item_count = $4
            where member_id = $1 and period_key = $2 and status = 'pending'
            returning member_id
            """;

    // A failed send: the row goes back to the queue at once, its next try after a backoff that doubles with each try (the
    // lease time is the time of the next try), or — its tries used up — it is 'failed', with the error, for an admin.
    // Only while this worker still holds it: a row another worker took over is not touched.
    private static final String RELEASE_FAILED = """
            update digest set claimed_by = null,
                   lease_until = $3 + least(make_interval(secs => $4 * power(2, greatest(attempts - 1, 0))), interval '15 minutes'),
                   last_error = left($5, 500),
                   status = case when attempts >= $6 then 'failed' else 'pending' end,
                   finished_at = case when attempts >= $6 then $3 end
            where member_id = $1 and period_key = $2 and status = 'pending' and claimed_by = $7
            """;

    private static final String HEARTBEAT = """
            update digest set lease_until = $2 where claimed_by = $1 and status = 'pending'
            """;

    /** Closes the periods with nothing to send as 'empty'; answers how many it closed. */
    Uni<Integer> markEmpty(Instant now, List<Claimed> empty) {
        return empty.isEmpty() ? Uni.createFrom().item(0)
                : db.execute(MARK_EMPTY, Tuple.of(utc(now),
                        empty.stream().map(Claimed::memberId).toArray(Long[]::new),
                        empty.stream().map(Claimed::periodKey).toArray(String[]::new))).map(rows -> rows.rowCount());
    }

    /** Extends the lease of every period {@code worker} holds to {@code leaseUntil}. */
    Uni<Void> heartbeat(DigestService.Worker worker, Instant leaseUntil) {
        return db.execute(HEARTBEAT, Tuple.of(worker.id(), utc(leaseUntil))).replaceWithVoid();
    }

    /**
     * In the sending transaction {@code conn}: marks the period sent, locking its row; true, or null when it is no
     * longer pending (another worker sent it), and then nothing may be sent.
     */
    Uni<Boolean> markSent(SqlConnection conn, Claimed c, Instant now, int itemCount) {
        return db.one(conn, MARK_SENT, Tuple.of(c.memberId(), c.periodKey(), utc(now), itemCount), row -> true);
    }

    /** After a failed send (its transaction rolled back): the period back to the queue with a backoff, or failed. */
    Uni<Void> release(Instant now, DigestService.Worker worker, Claimed c, Throwable failure) {
        return db.execute(RELEASE_FAILED, Tuple.from(List.of(c.memberId(), c.periodKey(), utc(now),
                (double) config.retryAfter().toMillis() / 1000.0, String.valueOf(failure), config.maxAttempts(), worker.id())))
                .replaceWithVoid()
                // the database itself may be what failed: the row then waits for its lease to run out
                .onFailure().recoverWithItem(f -> {
                    Log.warnf("Digest %s of member %d not released: %s", c.periodKey(), c.memberId(), f.toString());
                    return null;
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
