package org.roundtable.insight;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The schedule of {@link InsightRefresh}: every instance looks every {@code roundtable.insight.check-every} (10
 * minutes), starting 30 seconds after it starts, for closed weeks to compute; the claim shares them out. Tests switch it
 * off ({@code roundtable.insight.scheduled=false}) and call {@link InsightRefresh#refresh} with moments of their own.
 */
@ApplicationScoped
public class InsightJob {

    private final InsightRefresh refresh;
    private final InsightConfig config;
    private final Clock clock;

    public InsightJob(InsightRefresh refresh, InsightConfig config, Clock clock) {
        this.refresh = refresh;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "insight-refresh", every = "${roundtable.insight.check-every:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        if (!config.scheduled()) {
            return Uni.createFrom().voidItem();
        }
        return refresh.refresh(clock.instant()).replaceWithVoid();
    }
}
