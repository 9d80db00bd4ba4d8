package org.roundtable.cohort;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import org.roundtable.member.Member;

/** A member's place in a cohort ({@code cohort_member}), for Hibernate Reactive. */
@Entity
@Table(name = "cohort_member")
@IdClass(CohortMembership.Key.class)
public class CohortMembership {

    @Id
    @Column(name = "cohort_id")
    public Long cohortId;

    @Id
    @Column(name = "member_id")
    public Long memberId;

    @Column(nullable = false, columnDefinition = "text")
    @Convert(converter = CohortRole.Column.class)
    public CohortRole role = CohortRole.MEMBER;

    @Column(name = "joined_at", insertable = false, updatable = false)
    public OffsetDateTime joinedAt;

    /** The member, for reads that show them (fetched with the row by the query that wants it). */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "member_id", insertable = false, updatable = false)
    public Member member;

    public CohortMembership() {
    }

    CohortMembership(long cohortId, long memberId, CohortRole role) {
        this.cohortId = cohortId;
        this.memberId = memberId;
        this.role = role;
    }

    /** The key: (cohort, member). */
    public record Key(Long cohortId, Long memberId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
