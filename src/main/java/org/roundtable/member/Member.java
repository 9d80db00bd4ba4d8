package org.roundtable.member;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.OffsetDateTime;

/** A member of the network, as Roundtable keeps them (the source of truth for who they are is Keycloak). */
@Entity
public class Member extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, columnDefinition = "text")
    public String subject;

    @Column(nullable = false, columnDefinition = "text")
    public String username;

    @Column(nullable = false, columnDefinition = "text")
    public String name;

    @Column(columnDefinition = "text")
    public String email;
    @Column(columnDefinition = "text")
    public String title;
    @Column(columnDefinition = "text")
    public String school;
    @Column(columnDefinition = "text")
    public String district;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "suspended_until")
    public OffsetDateTime suspendedUntil;

    @Column(name = "suspension_reason", columnDefinition = "text")
    public String suspensionReason;
}
