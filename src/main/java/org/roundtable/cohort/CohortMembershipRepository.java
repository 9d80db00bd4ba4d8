package org.roundtable.cohort;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Cohort memberships as administrative rows (Hibernate Reactive). */
@ApplicationScoped
public class CohortMembershipRepository implements PanacheRepositoryBase<CohortMembership, CohortMembership.Key> {

    /** The cohort's people with their member rows, facilitators first, then by name: one statement. */
    public Uni<List<CohortMembership>> people(long cohortId) {
        return find("""
                select cm from CohortMembership cm join fetch cm.member m
                where cm.cohortId = ?1
                order by case when cm.role = ?2 then 0 else 1 end, lower(m.name), m.id""", cohortId, CohortRole.FACILITATOR)
                .list();
    }

    /** Takes the member out of the cohort; whether they were in it. */
    public Uni<Boolean> leave(long cohortId, long memberId) {
        return delete("cohortId = ?1 and memberId = ?2", cohortId, memberId).map(n -> n > 0);
    }
}
