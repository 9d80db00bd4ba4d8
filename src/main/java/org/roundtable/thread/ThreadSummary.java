package org.roundtable.thread;

import java.time.OffsetDateTime;
import java.util.List;

/** A thread as lists show it. */
public record ThreadSummary(long id, String title, Author author, List<String> tags, int replyCount, boolean solved,
        boolean pinned, boolean locked, boolean unread, OffsetDateTime createdAt, OffsetDateTime lastPostedAt) {
}
