package org.roundtable.channel;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Channels as administrative rows (Hibernate Reactive); the channel list and page read through the SQL client. */
@ApplicationScoped
public class ChannelRepository implements PanacheRepositoryBase<Channel, Long> {

    /** Whether a channel has the address {@code slug}. */
    public Uni<Boolean> slugTaken(String slug) {
        return count("slug", slug).map(n -> n > 0);
    }

    /** The position after the last channel of the cohort (null: of the network): new channels are listed last. */
    public Uni<Integer> nextPosition(Long cohortId) {
        return getSession().flatMap(session -> (cohortId == null
                ? session.createSelectionQuery("select max(c.position) from Channel c where c.cohortId is null", Integer.class)
                : session.createSelectionQuery("select max(c.position) from Channel c where c.cohortId = :cohort", Integer.class)
                        .setParameter("cohort", cohortId))
                .getSingleResultOrNull())
                .map(max -> max == null ? 0 : max + 1);
    }
}
