package org.roundtable.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestConfig.Frequency;

/**
 * The digest benchmark (bench/digest/README.md); skipped unless {@code -Droundtable.bench.digest=true}. Run it with
 * {@code bench/digest/run}: a heap-bounded JVM, 10,000 members, 50 follows each, 100,000 posts in the week.
 */
@QuarkusTest
class DigestBenchmarkTest {

    @Inject
    Pool pool;

    @Inject
    DigestService digests;

    @Inject
    Database database;

    private static long appCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the test stack's PostgreSQL: its postmaster (found by its port) and every backend under it. */
    private static long databaseCpuNanos() {
        String port = String.valueOf(org.roundtable.support.LocalStackResource.PG_PORT);
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> java.util.Arrays.asList(a).contains(port)).orElse(false))
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void digestBuildFor10000Members() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("roundtable.bench.digest"), "the digest benchmark runs with bench/digest/run");
        Path project = Path.of(System.getProperty("roundtable.project.dir", "."));
        // The week ends at the default send time (Monday 07:00 UTC) that last passed.
        OffsetDateTime due = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusHours(7);
        if (due.isAfter(OffsetDateTime.now(ZoneOffset.UTC))) {
            due = due.minusWeeks(1);
        }
        long t0 = System.nanoTime();
        String script = Files.readString(project.resolve("bench/digest/data.sql")).replace("${WINDOW_END}", due.toString());
        SqlConnection conn = pool.getConnection().await().indefinitely();
        try {
            for (String statement : script.split("(?m)^;\\s*$")) {
                String sql = statement.strip();
                if (!sql.isEmpty() && !sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                    conn.query(sql).execute().await().atMost(Duration.ofMinutes(10));
                }
            }
        } finally {
            conn.close().await().indefinitely();
        }
        double generated = (System.nanoTime() - t0) / 1e9;

        int batch = Integer.getInteger("roundtable.bench.batch", 200);
        int workers = Integer.getInteger("roundtable.bench.workers", 2);
        AtomicLong mails = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        DigestService.Worker worker = digests.worker().named("bench").withBatchSize(batch).sendingTo(mail -> {
            mails.incrementAndGet();
            bytes.addAndGet(mail.getText().length() + mail.getHtml().length());
            return Uni.createFrom().voidItem();
        });
        Instant at = due.toInstant().plus(5, ChronoUnit.MINUTES);
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long baseline = heapUsed();
        // the heap after each collection: what the run really holds (the peak of "used" also counts garbage not yet
        // collected, which a larger -Xmx lets grow)
        AtomicLong liveAfterGc = new AtomicLong();
        java.util.Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(java.util.stream.Collectors.toSet());
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                // GcInfo lists every memory pool, metaspace and code cache too: count the heap's pools only
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                liveAfterGc.accumulateAndGet(used, Math::max);
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        long statementsBefore = database.statementCount();
        long appCpu = appCpuNanos();
        long dbCpu = databaseCpuNanos();
        long start = System.nanoTime();
        int planned = digests.plan(at, Frequency.weekly).await().atMost(Duration.ofMinutes(5));
        DigestService.Run run = digests.workers(Clock.fixed(at, ZoneOffset.UTC), worker, workers).await()
                .atMost(Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        double appCpuSeconds = (appCpuNanos() - appCpu) / 1e9;
        double dbCpuSeconds = (databaseCpuNanos() - dbCpu) / 1e9;
        long statements = database.statementCount() - statementsBefore;
        long max = Runtime.getRuntime().maxMemory();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).removeNotificationListener(listener);
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        String report = String.format("""
                digest benchmark (bench/digest): %d members planned, %d digests sent, %d empty
                  data: 10,000 members x 50 follows, 5,000 threads, 100,000 posts in the week (generated in %.1f s)
                  %d workers, batches of %d, %d SQL statements (%d of them one per mail)
                  plan + build + render + mark sent: %.1f s (%.1f ms per digest), %d MiB of mail text
                  heap: %d MiB before the run; at most %d MiB after a collection during it; -Xmx %d MiB
                  CPU time: %.1f s in the app's JVM, %.1f s in PostgreSQL (wall time depends on what else the machine runs)
                  machine: %d cores, load average %.1f at the end; PostgreSQL %s, jit %s on the app's connections
                """, planned, run.sent(), run.empty(), generated, workers, batch, statements, run.sent(), seconds,
                seconds * 1000 / Math.max(1, planned), bytes.get() >> 20, baseline >> 20, liveAfterGc.get() >> 20,
                max >> 20, appCpuSeconds, dbCpuSeconds, Runtime.getRuntime().availableProcessors(), load,
                pool.query("show server_version").execute().await().indefinitely().iterator().next().getString(0),
                pool.query("show jit").execute().await().indefinitely().iterator().next().getString(0));
        System.out.println(report);
        Files.createDirectories(project.resolve("target/bench"));
        Files.writeString(project.resolve("target/bench/digest.txt"), report);
        assertThat(run.sent() + run.empty()).isEqualTo(planned);
        assertThat(mails.get()).isEqualTo(run.sent());
    }
}
