package org.roundtable.thread;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A thread as lists show it. {@code unread}: it has posts the viewer has not read that count as new to them (never a
 * removed post or their own). {@code removal}: null, or — only ever listed for the channel's moderators — why the thread
 * is removed: "hidden", "deleted" (by a facilitator) or "withdrawn" (by its author).
 */
public record ThreadSummary(long id, String title, Author author, List<String> tags, int replyCount, boolean solved,
        boolean pinned, boolean locked, boolean unread, OffsetDateTime createdAt, OffsetDateTime lastPostedAt,
        String removal) {

    public boolean removed() {
        return removal != null;
    }
}
