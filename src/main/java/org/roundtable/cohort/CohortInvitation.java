package org.roundtable.cohort;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.roundtable.member.Member;

/**
 * An invitation's row ({@code cohort_invitation}), for Hibernate Reactive: the pending ones, listed for the cohort's
 * facilitators. Read only here: made and withdrawn through the SQL client, whose transaction writes the audit entry
 * too, and used up in the transaction that adds its member (InvitationService#accept).
 */
@Entity
@org.hibernate.annotations.Immutable
@Table(name = "cohort_invitation")
public class CohortInvitation {

    @Id
    public Long id;

    @Column(name = "cohort_id")
    public Long cohortId;

    public UUID jti;

    /** The invited address (lower case), or null. */
    @Column(columnDefinition = "text")
    public String email;

    /** The invited member's id, or null. */
    @Column(name = "member_id", insertable = false, updatable = false)
    public Long memberId;

    /** The invited member, for the list of pending invitations. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "member_id", insertable = false, updatable = false)
    public Member member;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "invited_by", insertable = false, updatable = false)
    public Member inviter;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", insertable = false, updatable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "accepted_at")
    public OffsetDateTime acceptedAt;

    @Column(name = "revoked_at", insertable = false, updatable = false)
    public OffsetDateTime revokedAt;
}
