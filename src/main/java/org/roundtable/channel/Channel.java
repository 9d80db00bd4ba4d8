package org.roundtable.channel;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A channel's administrative row, for Hibernate Reactive (docs/architecture.md, "Hibernate Reactive and the SQL
 * client"): what is set when it is made. The counted columns (thread_count, kept by V20's trigger), the approval
 * setting and the flag threshold are not mapped: the channel list and moderation read and write them through the SQL
 * client, and an insert leaves them at their defaults.
 */
@Entity
@Table(name = "channel")
public class Channel {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, columnDefinition = "text")
    public String slug;

    @Column(nullable = false, columnDefinition = "text")
    public String name;

    @Column(nullable = false, columnDefinition = "text")
    public String description = "";

    @Column(nullable = false, columnDefinition = "text")
    @Convert(converter = ChannelKind.Column.class)
    public ChannelKind kind;

    @Column(name = "cohort_id")
    public Long cohortId;

    @Column(nullable = false)
    public int position;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "archived_at", insertable = false, updatable = false)
    public OffsetDateTime archivedAt;
}
