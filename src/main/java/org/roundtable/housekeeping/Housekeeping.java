package org.roundtable.housekeeping;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestConfig;

/**
 * Removes rows that have served their purpose: expired rate counters, old digest history, expired cohort invitations,
 * idempotency keys. With several instances, one of them runs it per period: a run claims the {@code housekeeping} row
 * (skipping it when another instance holds it, leaving it when it ran less than a period ago) and removes the rows in
 * the same transaction, so a run that fails or dies leaves the claim for the next instance to take.
 */
@ApplicationScoped
public class Housekeeping {

    /**
     * One kind of expired row: a delete statement whose {@code $1} is the cutoff ({@code now - keep}, a timestamptz).
     * Adding a kind is one more entry in {@link #sweeps}.
     */
    public record Sweep(String name, String sql, Duration keep) {
    }

    /** What a run did: whether this instance ran it, and the rows removed per kind (in the order of the sweeps). */
    public record Run(boolean ran, Map<String, Integer> removed) {
        static final Run SKIPPED = new Run(false, Map.of());
    }

    static final String JOB = "housekeeping";

    private final Database db;
    private final HousekeepingConfig config;
    private final List<Sweep> sweeps;
    private final String instance;

    @jakarta.inject.Inject
    public Housekeeping(Database db, HousekeepingConfig config, DigestConfig digests) {
        this(db, config, List.of(
                new Sweep("rate counters", "delete from rate_counter where window_start < $1", config.keepCounters()),
                new Sweep("anonymous counters", "delete from anonymous_counter where window_start < $1",
                        config.keepCounters()),
                new Sweep("digest history", "delete from digest where status <> 'pending' and due_at < $1",
                        digests.keepHistory()),
                new Sweep("expired invitations", "delete from cohort_invitation where expires_at < $1",
                        config.keepExpiredInvitations()),
                new Sweep("idempotency keys", "delete from idempotency_key where created_at < $1",
                        config.keepIdempotencyKeys()),
                // Page sessions past their expiry are never read as live (security/WebSessions); logins also sweep a few.
                new Sweep("ended page sessions", "delete from web_session where expires_at < $1", Duration.ZERO)));
    }

    /** An instance that runs the given sweeps (tests of the claim run it with sweeps that remove nothing live). */
    Housekeeping(Database db, HousekeepingConfig config, List<Sweep> sweeps) {
        this.db = db;
        this.config = config;
        this.sweeps = List.copyOf(sweeps);
        this.instance = hostname() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The kinds of rows a run removes, with their retention. */
    public List<Sweep> sweeps() {
        return sweeps;
    }

    // The claim: the job's row when its last run is a period old and no other instance holds it right now.
    private static final String CLAIM = """
            with due as (
                select job from housekeeping
                where job = $1 and last_run_at <= $2::timestamptz - make_interval(secs => $3)
                for update skip locked
            )
            update housekeeping h set last_run_at = $2, last_run_by = $4 from due where h.job = due.job
            returning h.job
            """;

    /**
     * Runs the sweeps when a run is due at the clock's time and no other instance runs them: at most one run per
     * {@code roundtable.housekeeping.every} across all instances. Gives what it removed, or {@link Run#ran()} false.
     */
    public Uni<Run> run(Clock clock) {
        Instant now = clock.instant();
        return db.inTransaction(conn -> db.one(conn, CLAIM, Tuple.of(JOB, utc(now), (double) config.every().toSeconds(),
                        instance), row -> row.getString("job"))
                .flatMap(claimed -> claimed == null ? Uni.createFrom().item(Run.SKIPPED) : sweep(conn, now)));
    }

    private Uni<Run> sweep(SqlConnection conn, Instant now) {
        Map<String, Integer> removed = new LinkedHashMap<>();
        return Multi.createFrom().iterable(sweeps)
                .onItem().transformToUniAndConcatenate(sweep -> db.execute(conn, sweep.sql(),
                                Tuple.of(utc(now.minus(sweep.keep()))))
                        .invoke(rows -> removed.put(sweep.name(), rows.rowCount())))
                .collect().last()
                .map(last -> new Run(true, removed))
                .invoke(run -> Log.infof("Housekeeping removed %s", run.removed()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "instance";
        }
    }
}
