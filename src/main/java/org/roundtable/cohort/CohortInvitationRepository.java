package org.roundtable.cohort;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Invitations as administrative rows (Hibernate Reactive). */
@ApplicationScoped
public class CohortInvitationRepository implements PanacheRepositoryBase<CohortInvitation, Long> {

    /**
     * The cohort's pending invitations (neither accepted, withdrawn nor expired), newest first, with the invited member
     * and the inviter: one statement; {@code limit} at most.
     */
    public Uni<List<CohortInvitation>> pending(long cohortId, int limit) {
        return find("""
                select i from CohortInvitation i left join fetch i.member left join fetch i.inviter
                where i.cohortId = ?1 and i.acceptedAt is null and i.revokedAt is null and i.expiresAt > current_timestamp
                order by i.createdAt desc, i.id desc""", cohortId).page(0, limit).list();
    }
}
