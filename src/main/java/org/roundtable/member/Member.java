package org.roundtable.member;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;

/**
 * A member as the administrative reads see them (Hibernate Reactive: profiles, the directory, a cohort's people). Read
 * only: the row is written by the login's upsert ({@link MemberService#sync}) and by suspensions (moderation), both
 * through the SQL client. The suspension is mapped as it is now, computed by PostgreSQL in the statement that reads the
 * row ({@code suspended_until} may be 'infinity', which no Java time holds): {@code suspended}, until when (null: until
 * lifted, or not suspended) and why (null when not suspended).
 */
@Entity
@Immutable
@Table(name = "member")
public class Member {

    @Id
    public Long id;

    @Column(columnDefinition = "text")
    public String subject;

    @Column(columnDefinition = "text")
    public String username;

    @Column(columnDefinition = "text")
    public String name;

    @Column(columnDefinition = "text")
    public String email;

    @Column(columnDefinition = "text")
    public String title;

    @Column(columnDefinition = "text")
    public String school;

    @Column(columnDefinition = "text")
    public String district;

    /** The identity provider's picture of the member, when it was given and allowed (MemberConfig); else null. */
    @Column(columnDefinition = "text")
    public String picture;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Formula("(suspended_until is not null and suspended_until > now())")
    public boolean suspended;

    @Formula("(case when suspended_until > now() and suspended_until <> 'infinity' then suspended_until end)")
    public OffsetDateTime suspendedUntil;

    @Formula("(case when suspended_until > now() then suspension_reason end)")
    public String suspensionReason;
}
