package org.roundtable.anonymity;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.roundtable.db.Database;

/**
 * Counters of anonymous posting that name nobody and split nothing by author. A counted post takes a slot: a row keyed
 * {@code HMAC(counter key, member ‖ purpose ‖ window ‖ slot)}, the member's first free slot of the window. Without the
 * key the rows of a window cannot be told apart or grouped, so the table says how many anonymous posts a window had
 * (which the posts themselves say) and nothing of how many each author wrote; a single row per member and window with
 * a count would say "16 posts from 3 members, 7, 6 and 3". With the key the server finds a member's slots again.
 */
@ApplicationScoped
public class AnonymousCounters {

    /**
     * At most this many slots of one member and window are looked at: a limit above it is enforced up to it only. The
     * limits this counts (anonymous posts an hour, new members' threads a day) are far below it.
     */
    public static final int MAX_SLOTS = 64;

    private final Database db;
    private final Pseudonyms pseudonyms;

    public AnonymousCounters(Database db, Pseudonyms pseudonyms) {
        this.db = db;
        this.pseudonyms = pseudonyms;
    }

    // The first slot of the member's keys (in order) that has no row takes one; "slot" is null when all are taken. A
    // concurrent post of the same member may take the same slot first: then nothing is inserted ("taken" = 0), and the
    // caller looks again.
    private static final String TAKE = """
            with s as (select k, i from unnest($1::bytea[]) with ordinality as s(k, i)),
            free as (select k, i from s where not exists (select 1 from anonymous_counter c where c.key_hash = s.k)
                     order by i limit 1),
            ins as (insert into anonymous_counter (key_hash, window_start) select k, $2::timestamptz from free
                    on conflict do nothing returning 1)
            select (select i from free) as slot, (select count(*) from ins) as taken
            """;

    /**
     * Counts one anonymous act of a member in a window, in the caller's transaction, when the window has room:
     * {@code limit} acts at most. {@code window} numbers the window (e.g. hours since the epoch) and {@code start} is
     * when it began (stored, so that old rows can be removed; no finer than the window). Gives true when counted,
     * false when the window is full.
     */
    public Uni<Boolean> take(SqlConnection conn, long memberId, String purpose, long window, Instant start, int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(false);
        }
        return take(conn, keys(memberId, purpose, window, Math.min(limit, MAX_SLOTS)),
                OffsetDateTime.ofInstant(start, ZoneOffset.UTC), 3);
    }

    private Uni<Boolean> take(SqlConnection conn, Buffer[] keys, OffsetDateTime start, int tries) {
        return db.one(conn, TAKE, Tuple.of(keys, start), row -> row).flatMap(row -> {
            if (row.getLong("slot") == null) {
                return Uni.createFrom().item(false);
            }
            if (row.getLong("taken") > 0 || tries <= 1) {
                return Uni.createFrom().item(row.getLong("taken") > 0);
            }
            return take(conn, keys, start, tries - 1);
        });
    }

    /** How many acts of a member a window has counted (up to {@code upTo}, at most {@link #MAX_SLOTS}). */
    public Uni<Integer> used(SqlConnection conn, long memberId, String purpose, long window, int upTo) {
        if (upTo <= 0) {
            return Uni.createFrom().item(0);
        }
        return db.one(conn, "select count(*) as n from anonymous_counter where key_hash = any($1::bytea[])",
                Tuple.of((Object) keys(memberId, purpose, window, Math.min(upTo, MAX_SLOTS))), row -> row.getLong("n").intValue());
    }

    /** The keys of a member's first {@code n} slots of a window, in order. */
    public Buffer[] keys(long memberId, String purpose, long window, int n) {
        Buffer[] keys = new Buffer[n];
        for (int slot = 1; slot <= n; slot++) {
            keys[slot - 1] = Buffer.buffer(pseudonyms.counterKey(memberId, purpose + "#" + slot, window));
        }
        return keys;
    }
}
