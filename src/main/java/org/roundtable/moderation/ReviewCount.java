package org.roundtable.moderation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.roundtable.security.Viewer;

/**
 * The review queue in the menu of every page ({@code inject:reviewCount.of(viewer)} in base.html): offered to everyone
 * who facilitates anything, cohort facilitators included, with the number of items waiting for them.
 *
 * <p>Most members facilitate nothing, and asking PostgreSQL on each of their pages would add a statement to every
 * page. So a member found to facilitate no cohort (and who holds neither the admin nor the facilitator realm role) is
 * remembered as such for {@link #REMEMBER_NOT_FACILITATING} by this instance: their pages send no statement for the
 * menu, and a member made a cohort facilitator sees the link within that time. Whom the queue lets in and what it
 * shows are decided on every request by {@link ReviewQueue} itself, never by this memory. Admins, network
 * facilitators and cohort facilitators get the count from PostgreSQL on every page (one statement).
 */
@Named("reviewCount")
@ApplicationScoped
public class ReviewCount {

    /** How long this instance remembers that a member facilitates nothing. */
    static final Duration REMEMBER_NOT_FACILITATING = Duration.ofMinutes(1);

    private final ReviewQueue queue;
    private final Cache<Long, Boolean> facilitatesNothing = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBER_NOT_FACILITATING).maximumSize(100_000).executor(Runnable::run).build();

    public ReviewCount(ReviewQueue queue) {
        this.queue = queue;
    }

    /** Resolved while the page renders, without blocking ({@link ReviewQueue#waiting}). */
    public CompletionStage<ReviewQueue.Waiting> of(Viewer viewer) {
        if (!viewer.isNetworkFacilitator() && facilitatesNothing.getIfPresent(viewer.id()) != null) {
            return Uni.createFrom().item(ReviewQueue.Waiting.NONE).subscribeAsCompletionStage();
        }
        return queue.waiting(viewer).invoke(waiting -> {
            if (!waiting.facilitates() && !viewer.isGuest()) {
                facilitatesNothing.put(viewer.id(), Boolean.TRUE);
            }
        }).subscribeAsCompletionStage();
    }
}
