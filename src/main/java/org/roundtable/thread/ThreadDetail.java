package org.roundtable.thread;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A thread page: the opening post, the accepted answer (shown right under the question), and one page of the reply
 * tree. Pages hold whole top-level branches, so the tree is never cut in the middle. {@code readOnly}: why the viewer
 * may not write in it (suspended, silenced in its cohort, their pseudonym blocked in it), null when they may.
 */
public record ThreadDetail(long id, String title, ChannelRef channel, Author author, List<String> tags, boolean locked,
        Long acceptedPostId, OffsetDateTime createdAt, PostView opening, PostView accepted, List<PostView> replies,
        int page, int pageCount, int replyCount, int lastReadNumber, boolean mine, boolean undiscussables,
        boolean moderator, boolean requiresApproval, boolean pinned, boolean closed, boolean crowd, String removal,
        String removalReason, org.roundtable.security.ReadOnly readOnly) {

    /** Takes no replies: locked or closed by a facilitator, or removed (only its moderators still see it). */
    public boolean shut() {
        return locked || closed || removed();
    }

    /**
     * Removed: hidden or deleted by a facilitator, or withdrawn by its author ({@code removal} says which; null when it
     * is not). Only the channel's moderators see a removed thread, marked.
     */
    public boolean removed() {
        return removal != null;
    }

    /** The thread's channel; for a cohort's channel, the cohort's address, name and number of members (who read it). */
    public record ChannelRef(long id, String slug, String name, String kind, String cohortSlug, String cohortName,
            long cohortMembers) {
    }

    public boolean solved() {
        return acceptedPostId != null;
    }

    public boolean hasNextPage() {
        return page + 1 < pageCount;
    }

    public boolean hasPreviousPage() {
        return page > 0;
    }
}
