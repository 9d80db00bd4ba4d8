package org.roundtable.search;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

/**
 * The bulkhead in front of PostgreSQL for searches (SmallRye Fault Tolerance's, MicroProfile's {@code @Bulkhead} in its
 * programmatic form): at most {@code roundtable.search.concurrent} searches of this instance run their statement at
 * once; up to {@code roundtable.search.queue} more wait for their turn, first come first served; one more is refused at
 * once ({@link BulkheadException}, which {@link SearchService} answers with 503 and Retry-After).
 *
 * <p>Why: a search is the costliest read (tens to hundreds of milliseconds of one PostgreSQL core for a common word on a
 * large network). Run 64 at once on a 2-core database and each takes 64 times as long, so each passes its statement
 * timeout and is cancelled: the database works flat out and answers nobody (docs/benchmarks.md, "Search"). Run a few at
 * a time and the rest wait in line: each finishes in its own time, the database still works flat out, and the wait is
 * the only cost of a crowd. The statement timeout then bounds a search's own work, not its place in the line.
 *
 * <p>The line is per instance; with several instances, each lets its own {@code concurrent} searches through, so the
 * setting is the database's cores shared among the instances (docs/operations.md). The gauges
 * {@code roundtable.search.running} and {@code roundtable.search.waiting} show the line.
 */
@ApplicationScoped
class SearchGate {

    private final TypedGuard<Uni<List<SearchService.Found>>> guard;
    private final int queue;
    private final int concurrent;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong abandoned = new AtomicLong();

    /** How many times the line's length the bulkhead keeps room for: searches given up still hold a place there. */
    static final int GIVEN_UP_ROOM = 4;

    SearchGate(@ConfigProperty(name = "roundtable.search.concurrent", defaultValue = "4") int concurrent,
            @ConfigProperty(name = "roundtable.search.queue", defaultValue = "64") int queue, MeterRegistry registry) {
        this.queue = Math.max(1, queue);
        this.concurrent = concurrent;
        // The bulkhead's own line is longer than ours: a search given up while it waits keeps its place in the
        // bulkhead's line until its turn comes (SmallRye does not take it out), but leaves ours at once (inTurn), so
        // that given-up searches do not turn members away.
        this.guard = TypedGuard.create(new TypeLiteral<Uni<List<SearchService.Found>>>() {
        })
                .withDescription("search")
                .withBulkhead().limit(concurrent).queueSize(this.queue * GIVEN_UP_ROOM).done()
                .withThreadOffload(false)
                .build();
        Gauge.builder("roundtable.search.running", running, AtomicInteger::get)
                .description("Searches of this instance running their statements now").register(registry);
        Gauge.builder("roundtable.search.waiting", waiting, AtomicInteger::get)
                .description("Searches of this instance waiting for their turn").register(registry);
        Gauge.builder("roundtable.search.abandoned", abandoned, AtomicLong::doubleValue)
                .description("Searches whose request was gone when their turn came: no statement ran").register(registry);
    }

    /**
     * The search's statements, run when its turn comes: at once while fewer than {@code concurrent} run, else after the
     * searches before it in the line. Fails with {@link BulkheadException} when {@code queue} searches already wait
     * (searches given up while waiting do not count).
     * A search whose subscriber cancelled while it waited (its request's connection closed: Quarkus REST cancels the
     * request's {@code Uni}) leaves the count of those waiting at once, and when its turn comes runs no statement: the
     * bulkhead's line keeps its place until then, but it costs the database nothing ({@link #abandoned}).
     */
    Uni<List<SearchService.Found>> inTurn(Supplier<Uni<List<SearchService.Found>>> search) {
        return Uni.createFrom().deferred(() -> {
            AtomicBoolean left = new AtomicBoolean();
            AtomicBoolean gone = new AtomicBoolean();
            Runnable leaveLine = () -> {
                if (left.compareAndSet(false, true)) {
                    waiting.decrementAndGet();
                }
            };
            if (waiting.incrementAndGet() > queue + Math.max(0, concurrent - running.get())) {
                leaveLine.run();
                return Uni.createFrom().failure(new BulkheadException("The line of searches is full"));
            }
            return guard.get(() -> {
                leaveLine.run();
                if (gone.get()) {
                    abandoned.incrementAndGet();
                    return Uni.createFrom().failure(new CancellationException("The search's request was gone"));
                }
                running.incrementAndGet();
                return search.get().onTermination().invoke(running::decrementAndGet);
            }).onCancellation().invoke(() -> gone.set(true)).onTermination().invoke(leaveLine);
        });
    }

    /** Searches whose request was gone when their turn came, since the start (no statement ran for them). */
    long abandoned() {
        return abandoned.get();
    }

    /** Searches running their statements now. */
    int running() {
        return running.get();
    }

    /** Searches waiting for their turn now. */
    int waiting() {
        return waiting.get();
    }
}
