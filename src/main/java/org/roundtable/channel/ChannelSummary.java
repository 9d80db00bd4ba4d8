package org.roundtable.channel;

import java.time.OffsetDateTime;

/**
 * A channel as the channel list shows it, counted for the viewer; {@code readOnly}: why the viewer may start no thread
 * in it (suspended, or silenced in its cohort), null when they may.
 */
public record ChannelSummary(long id, String slug, String name, String description, ChannelKind kind, String cohort,
        int threadCount, int unreadCount, OffsetDateTime lastActivityAt, long audience, int minAudience,
        String cohortSlug, long cohortMembers, org.roundtable.security.ReadOnly readOnly) {

    /** A channel as lists show it, for a viewer who may write in it. */
    public ChannelSummary(long id, String slug, String name, String description, ChannelKind kind, String cohort,
            int threadCount, int unreadCount, OffsetDateTime lastActivityAt, long audience, int minAudience,
            String cohortSlug, long cohortMembers) {
        this(id, slug, name, description, kind, cohort, threadCount, unreadCount, lastActivityAt, audience, minAudience,
                cohortSlug, cohortMembers, null);
    }

    /** A channel without its cohort's address and size (lists that do not say who reads it). */
    public ChannelSummary(long id, String slug, String name, String description, ChannelKind kind, String cohort,
            int threadCount, int unreadCount, OffsetDateTime lastActivityAt, long audience, int minAudience) {
        this(id, slug, name, description, kind, cohort, threadCount, unreadCount, lastActivityAt, audience, minAudience,
                null, 0);
    }

    /** Anonymous posting is possible here: an undiscussables channel whose audience is a crowd. */
    public boolean crowd() {
        return audience >= minAudience;
    }

    public boolean undiscussables() {
        return kind == ChannelKind.UNDISCUSSABLES;
    }
}
