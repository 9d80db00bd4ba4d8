package org.roundtable.housekeeping;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The schedule: every instance looks every {@code roundtable.housekeeping.check-every} (10 minutes) whether a run is
 * due; one of them runs it (Housekeeping). Tests switch it off and call {@link Housekeeping#run} with clocks of their own.
 */
@ApplicationScoped
public class HousekeepingJob {

    private final Housekeeping housekeeping;
    private final HousekeepingConfig config;
    private final Clock clock;

    public HousekeepingJob(Housekeeping housekeeping, HousekeepingConfig config, Clock clock) {
        this.housekeeping = housekeeping;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "housekeeping", every = "${roundtable.housekeeping.check-every:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        if (!config.scheduled()) {
            return Uni.createFrom().voidItem();
        }
        return housekeeping.run(clock).replaceWithVoid();
    }
}
