package org.roundtable.thread;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reply in the thread page's tree, with the replies shown inside it. Replies nest to
 * {@link ThreadService#MAX_INDENT}; deeper ones sit flat in their depth-{@code MAX_INDENT} ancestor's replies (the
 * post says "in reply to" there). {@code newMarker} is set on the first post that is new since the viewer's last
 * visit, where the page puts its "New since your last visit" line.
 */
@TemplateData
@TemplateData(target = PostView.class)
@TemplateData(target = PostView.ReactionCount.class)
@TemplateData(target = Author.class)
public record ReplyNode(PostView post, List<ReplyNode> replies, boolean newMarker) {

    /**
     * The tree of a page of replies, from the flat list in depth-first order. A reply whose parent is not on the page
     * (the opening post, or a post held for approval) starts a branch of its own, so nothing is ever left out.
     */
    public static List<ReplyNode> tree(List<PostView> flat) {
        List<ReplyNode> roots = new ArrayList<>();
        // post id -> the node whose replies hold the post's own replies (itself, or its ancestor at the deepest indent)
        Map<Long, ReplyNode> containers = new HashMap<>();
        boolean markerPlaced = false;
        for (PostView post : flat) {
            boolean marker = !markerPlaced && post.newSinceVisit();
            markerPlaced |= marker;
            ReplyNode node = new ReplyNode(post, new ArrayList<>(), marker);
            ReplyNode parent = post.replyTo() == null ? null : containers.get(post.replyTo());
            (parent == null ? roots : parent.replies()).add(node);
            boolean nests = parent == null || post.depth() <= ThreadService.MAX_INDENT;
            containers.put(post.id(), nests ? node : parent);
        }
        return roots;
    }

    public boolean hasReplies() {
        return !replies.isEmpty();
    }
}
