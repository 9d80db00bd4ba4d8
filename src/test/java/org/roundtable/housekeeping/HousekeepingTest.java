package org.roundtable.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestConfig;
import org.roundtable.support.TestData;

/**
 * Housekeeping removes what has expired and nothing else, and with several instances one of them runs it per period.
 * Rows are made with their times in the past (the real clock decides), so other tests' fresh rows are never touched.
 */
@QuarkusTest
class HousekeepingTest {

    @Inject
    Pool pool;

    @Inject
    Housekeeping housekeeping;

    @Inject
    Database db;

    @Inject
    HousekeepingConfig config;

    @Inject
    DigestConfig digestConfig;

    @BeforeEach
    void dueNow() {
        sql("update housekeeping set last_run_at = '-infinity', last_run_by = null where job = 'housekeeping'");
    }

    @Test
    void shouldRemoveExpiredRowsOfEveryKindAndKeepCurrentOnes() {
        long member = memberId(TestData.memberRow(pool, "sweep"));
        // rate counters: a day window of three days ago goes, today's stays
        sql("insert into rate_counter (member_id, kind, window_start, count) values "
                + "($1, 'post-day', now() - interval '3 days', 4), ($1, 'post-day', date_trunc('day', now()), 2)", member);
        byte[] oldCounter = random(), newCounter = random();
        sql("insert into anonymous_counter (key_hash, window_start) values "
                + "($1, now() - interval '3 days'), ($2, date_trunc('hour', now()))",
                Buffer.buffer(oldCounter), Buffer.buffer(newCounter));
        // digest history: a sent digest of 61 days ago goes; a pending one that old stays (it is work), so does last week's
        sql("insert into digest (member_id, period_key, frequency, due_at, since, status) values "
                + "($1, 'old-sent', 'weekly', now() - interval '61 days', now() - interval '68 days', 'sent'),"
                + "($1, 'old-pending', 'weekly', now() - interval '61 days', now() - interval '68 days', 'pending'),"
                + "($1, 'recent', 'weekly', now() - interval '7 days', now() - interval '14 days', 'sent')", member);
        // invitations: expired 8 days ago goes; expired yesterday and still valid stay
        String cohort = TestData.cohort(pool, TestData.memberRow(pool, "sweep-fac"));
        UUID longExpired = UUID.randomUUID(), justExpired = UUID.randomUUID(), valid = UUID.randomUUID();
        sql("insert into cohort_invitation (cohort_id, jti, expires_at, created_at) select id, $2, now() - interval '8 days', "
                + "now() - interval '22 days' from cohort where slug = $1", cohort, longExpired);
        sql("insert into cohort_invitation (cohort_id, jti, expires_at) select id, $2, now() - interval '1 day' "
                + "from cohort where slug = $1", cohort, justExpired);
        sql("insert into cohort_invitation (cohort_id, jti, expires_at) select id, $2, now() + interval '13 days' "
                + "from cohort where slug = $1", cohort, valid);
        // idempotency keys: three days old goes, this hour's stays
        long thread = TestData.thread("alice", TestData.networkChannel(pool), "Housekeeping " + UUID.randomUUID(), "Kept.");
        long post = TestData.openingPost("alice", thread);
        byte[] oldKey = random(), newKey = random();
        sql("insert into idempotency_key (key_hash, thread_id, post_id, created_at) values "
                + "($1, $3, $4, now() - interval '3 days'), ($2, $3, $4, date_trunc('hour', now()))",
                Buffer.buffer(oldKey), Buffer.buffer(newKey), thread, post);

        // page sessions: one that ended yesterday goes, a live one stays
        String ended = "ended-" + UUID.randomUUID(), live = "live-" + UUID.randomUUID();
        sql("insert into web_session (id_hash, subject, id_token, expires_at) values "
                + "($1, 'sweep', 'x', now() - interval '1 day'), ($2, 'sweep', 'x', now() + interval '1 hour')", ended, live);

        Housekeeping.Run run = housekeeping.run(Clock.systemUTC()).await().indefinitely();

        assertThat(run.ran()).isTrue();
        assertThat(run.removed()).containsOnlyKeys("rate counters", "anonymous counters", "digest history",
                "expired invitations", "idempotency keys", "ended page sessions");
        assertThat(run.removed().values()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(strings("select count(*)::text from rate_counter where member_id = $1", member)).containsExactly("1");
        assertThat(count("select count(*) from anonymous_counter where key_hash = $1", Buffer.buffer(oldCounter))).isZero();
        assertThat(count("select count(*) from anonymous_counter where key_hash = $1", Buffer.buffer(newCounter))).isOne();
        assertThat(strings("select period_key from digest where member_id = $1 order by period_key", member))
                .containsExactly("old-pending", "recent");
        assertThat(strings("select jti::text from cohort_invitation i join cohort c on c.id = i.cohort_id "
                + "where c.slug = $1 order by expires_at", cohort)).containsExactly(justExpired.toString(), valid.toString());
        assertThat(count("select count(*) from idempotency_key where key_hash = $1", Buffer.buffer(oldKey))).isZero();
        assertThat(count("select count(*) from idempotency_key where key_hash = $1", Buffer.buffer(newKey))).isOne();
        assertThat(count("select count(*) from web_session where id_hash = $1", ended)).isZero();
        assertThat(count("select count(*) from web_session where id_hash = $1", live)).isOne();
    }

    @Test
    void shouldRunOnceAcrossInstancesPerPeriod() {
        // Two instances whose sweeps remove nothing: the runs "a period later" take a clock an hour ahead, and real
        // sweeps with it would remove rows other tests still use (page sessions that end within the hour).
        List<Housekeeping.Sweep> harmless = List.of(new Housekeeping.Sweep("nothing",
                "delete from rate_counter where false and window_start < $1", Duration.ZERO));
        Housekeeping housekeeping = new Housekeeping(db, config, harmless);
        Housekeeping other = new Housekeeping(db, config, harmless);
        Clock now = Clock.systemUTC();

        // two instances at the same moment: one runs, the other skips (the claimed row is locked, or already claimed)
        List<Housekeeping.Run> runs = Uni.join().all(housekeeping.run(now), other.run(now)).andFailFast()
                .await().indefinitely();
        assertThat(runs).filteredOn(Housekeeping.Run::ran).hasSize(1);
        assertThat(strings("select last_run_by from housekeeping where job = 'housekeeping'")).hasSize(1)
                .allSatisfy(by -> assertThat(by).isNotBlank());

        // within the period nobody runs it again, whichever instance looks
        assertThat(housekeeping.run(now).await().indefinitely().ran()).isFalse();
        assertThat(other.run(now).await().indefinitely().ran()).isFalse();

        // a period later, one of them runs it again
        Clock later = Clock.fixed(Instant.now().plus(config.every()).plus(Duration.ofMinutes(1)), ZoneOffset.UTC);
        List<Housekeeping.Run> next = Uni.join().all(other.run(later), housekeeping.run(later)).andFailFast()
                .await().indefinitely();
        assertThat(next).filteredOn(Housekeeping.Run::ran).hasSize(1);
    }

    private static byte[] random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private long memberId(String username) {
        return pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(username))
                .await().indefinitely().iterator().next().getLong("id");
    }

    private void sql(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next().getLong(0);
    }

    private List<String> strings(String sql, Object... params) {
        List<String> values = new java.util.ArrayList<>();
        for (Row row : pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely()) {
            values.add(row.getString(0));
        }
        return values;
    }
}
