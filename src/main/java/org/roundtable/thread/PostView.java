package org.roundtable.thread;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A post as the thread page and the API show it. {@code depth} is its depth in the reply tree (0 = the opening post,
 * 1 = a reply to the thread); pages indent to {@link ThreadService#MAX_INDENT} and show deeper replies flat with
 * "in reply to".
 */
public record PostView(long id, int number, Long replyTo, Integer replyToNumber, String replyToAuthor, Author author,
        String html, OffsetDateTime createdAt, OffsetDateTime editedAt, int version, boolean deleted, int depth,
        List<ReactionCount> reactions, boolean mine, boolean accepted, boolean newSinceVisit, boolean opener,
        boolean hidden, boolean held) {

    public record ReactionCount(String kind, String label, int count, boolean mine) {
    }

    public int indent() {
        return Math.min(depth, ThreadService.MAX_INDENT);
    }

    /** Deeper than the page indents: shown flat, with "in reply to". */
    public boolean flattened() {
        return depth > ThreadService.MAX_INDENT;
    }

    public boolean edited() {
        return editedAt != null;
    }
}
