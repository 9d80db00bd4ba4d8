package org.roundtable.channel;

import java.time.OffsetDateTime;

/** A channel as the channel list shows it, counted for the viewer. */
public record ChannelSummary(long id, String slug, String name, String description, String kind, String cohort,
        int threadCount, int unreadCount, OffsetDateTime lastActivityAt) {

    public boolean undiscussables() {
        return "undiscussables".equals(kind);
    }
}
