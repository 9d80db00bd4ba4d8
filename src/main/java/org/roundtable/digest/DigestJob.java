package org.roundtable.digest;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The schedule: every minute, plan and send the digests that are due; every 30 seconds, the mention mails. Several
 * instances may run it at once: the work table shares the work (DigestService). Tests switch the schedule off
 * ({@code roundtable.digest.scheduled=false}) and drive the services with a clock of their own.
 */
@ApplicationScoped
public class DigestJob {

    private final DigestService digests;
    private final MentionMails mentions;
    private final DigestConfig config;
    private final Clock clock;

    public DigestJob(DigestService digests, MentionMails mentions, DigestConfig config, Clock clock) {
        this.digests = digests;
        this.mentions = mentions;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "digests", every = "${roundtable.digest.every:60s}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> digests() {
        if (!config.scheduled()) {
            return Uni.createFrom().voidItem();
        }
        return digests.run(clock).invoke(run -> {
            if (run.planned() + run.sent() + run.empty() > 0) {
                Log.infof("Digests: %d planned, %d sent, %d empty", run.planned(), run.sent(), run.empty());
            }
        }).replaceWithVoid();
    }

    @Scheduled(identity = "mention-mails", every = "${roundtable.digest.mention-every:30s}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> mentionMails() {
        if (!config.scheduled()) {
            return Uni.createFrom().voidItem();
        }
        return mentions.send(clock).replaceWithVoid();
    }

    /** The clock of jobs; a test or an operator's tool may bring another. */
    static class Clocks {
        @Produces
        @Singleton
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
