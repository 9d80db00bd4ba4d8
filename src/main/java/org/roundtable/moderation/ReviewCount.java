package org.roundtable.moderation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.concurrent.CompletionStage;
import org.roundtable.security.Viewer;

/**
 * The review queue in the menu of every page ({@code inject:reviewCount.of(viewer)} in base.html): offered to everyone
 * who facilitates anything, cohort facilitators included, with the number of items waiting for them.
 */
@Named("reviewCount")
@ApplicationScoped
public class ReviewCount {

    private final ReviewQueue queue;

    public ReviewCount(ReviewQueue queue) {
        this.queue = queue;
    }

    /** Resolved while the page renders, without blocking ({@link ReviewQueue#waiting}). */
    public CompletionStage<ReviewQueue.Waiting> of(Viewer viewer) {
        return queue.waiting(viewer).subscribeAsCompletionStage();
    }
}
