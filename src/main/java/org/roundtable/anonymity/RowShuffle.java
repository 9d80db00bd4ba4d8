package org.roundtable.anonymity;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.roundtable.db.Database;

/**
 * The order rows are stored in. PostgreSQL keeps a table's rows in about the order they were written, and a dump
 * (pg_dump) lists them in that order: an anonymous post's row would sit between the rows of named posts written a
 * second before and after it, whose times are exact. At the end of every hour this job deletes the rows written to the
 * tables an anonymous author's acts write to ({@link #TABLES}) since the last run, named ones too, and writes them again
 * in a random order, one statement per table ({@code shuffle_rows_written_since_last}, migration V8): after it, the
 * stored order of those rows says which hour they were written in and nothing finer. Rows are found by their
 * {@code xmin} (the transaction that wrote them), so any write counts, an update as well as an insert.
 *
 * <p>It finds the rows by a scan of each table that holds up nobody, then holds the tables in EXCLUSIVE mode (reads go
 * on, writes wait) while it rewrites just those rows: a row being rewritten is gone for a moment, and a write that
 * found it gone would change nothing. It waits at most half a second for its locks and otherwise tries again a minute
 * later, so that it never holds up a writer for long or ends in a deadlock. Every instance may run it: the mark row
 * makes one of them do each hour's work.
 */
@ApplicationScoped
public class RowShuffle {

    /** The tables an anonymous author's acts write to (their foreign keys and triggers: see the migration). */
    public static final List<String> TABLES = List.of("thread", "post", "post_revision", "reaction", "notification",
            "idempotency_key", "anonymous_counter");

    private static final String SHUFFLE = "select shuffle_rows_written_since_last(array[%s]::regclass[]) as n"
            .formatted(String.join(", ", TABLES.stream().map(t -> "'" + t + "'").toList()));

    private final Database db;
    private final AnonymityConfig config;

    public RowShuffle(Database db, AnonymityConfig config) {
        this.db = db;
        this.config = config;
    }

    @Scheduled(identity = "row-shuffle", every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.shuffleHourly()) {
            return Uni.createFrom().voidItem();
        }
        long started = System.nanoTime();
        return run(false)
                .invoke(n -> {
                    if (n >= 0) {
                        Log.infof("Rows of the last hour rewritten in random order: %d in %d ms", n,
                                (System.nanoTime() - started) / 1_000_000);
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.debugf("Row shuffle not done (tried again in a minute): %s", failure.getMessage());
                    return -1L;
                })
                .replaceWithVoid();
    }

    /**
     * Rewrites, in a random order, the rows written to {@link #TABLES} since the last run, whatever the hour; gives the
     * number of rows rewritten (expired keyed counters are housekeeping's, {@code housekeeping/Housekeeping}). Fails,
     * leaving everything as it was, when a table stays locked by a writer for half a second.
     */
    public Uni<Long> run() {
        return run(true);
    }

    /** As {@link #run()}; unless {@code always}, only when no run happened this hour yet (else gives -1). */
    private Uni<Long> run(boolean always) {
        return db.inTransaction(conn -> db.execute(conn, "set local lock_timeout = '500ms'", Tuple.tuple())
                .flatMap(x -> db.one(conn, "select hour < date_trunc('hour', now()) as due from row_shuffle for update",
                        Tuple.tuple(), row -> row.getBoolean("due")))
                .flatMap(due -> !always && !Boolean.TRUE.equals(due) ? Uni.createFrom().item(-1L)
                        : db.one(conn, SHUFFLE, Tuple.tuple(), row -> row.getLong("n"))));
    }
}
