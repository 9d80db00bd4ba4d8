package org.roundtable.thread;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;
import org.roundtable.security.Viewer;

/**
 * What the thread page shows: the thread, its reply tree for one page, the pager, and what the viewer may do. Page
 * numbers in URLs start at 1 ({@code ?page=2} is the service's page 1). {@link PostCards} fills in the rendered parts:
 * {@code openingCard} (the question's card), {@code summaryCard} (the accepted answer's card under the question) and
 * {@code conversation} (the page's reply tree).
 */
@TemplateData
@TemplateData(target = ThreadDetail.class)
@TemplateData(target = ThreadDetail.ChannelRef.class)
public record ThreadView(ThreadDetail thread, List<ReplyNode> replies, List<PageLink> pages, PageLink previous,
        PageLink next, String replyKey, boolean canWrite, String openingCard, String summaryCard,
        String conversation) {

    public record PageLink(int number, String url, boolean current) {
    }

    static ThreadView of(ThreadDetail thread, Viewer viewer, String replyKey) {
        List<PageLink> pages = new ArrayList<>();
        for (int p = 0; p < thread.pageCount(); p++) {
            pages.add(new PageLink(p + 1, url(thread.id(), p), p == thread.page()));
        }
        PageLink previous = thread.hasPreviousPage() ? pages.get(thread.page() - 1) : null;
        PageLink next = thread.hasNextPage() ? pages.get(thread.page() + 1) : null;
        return new ThreadView(thread, ReplyNode.tree(thread.replies()), pages, previous, next, replyKey,
                !viewer.isGuest() && !viewer.isSuspended(), null, null, null);
    }

    ThreadView withCards(String openingCard, String summaryCard, String conversation) {
        return new ThreadView(thread, replies, pages, previous, next, replyKey, canWrite, openingCard, summaryCard,
                conversation);
    }

    /** The address of a page of the thread (0-based page, as the service counts). */
    public static String url(long threadId, int page) {
        return "/threads/" + threadId + (page > 0 ? "?page=" + (page + 1) : "");
    }

    public long id() {
        return thread.id();
    }

    public boolean paged() {
        return pages.size() > 1;
    }

    /** Replying, quoting: open while the thread is not locked, to a viewer who is not read-only in it. */
    public boolean canReply() {
        return canWrite && !thread.shut() && thread.readOnly() == null;
    }

    /** Reacting: refused to a suspended or silenced viewer (a pseudonym's block refuses posting only). */
    public boolean canReact() {
        return canWrite && (thread.readOnly() == null || !thread.readOnly().refusesReactions());
    }

    /** Why the viewer may not write here (suspended, silenced, blocked), or null. */
    public org.roundtable.security.ReadOnly readOnly() {
        return thread.readOnly();
    }

    /** The person who asked marks (and unmarks) the answer. */
    public boolean canAnswer() {
        return canWrite && thread.mine();
    }

    /** Where the accepted answer sits in the conversation: on this page an anchor, else its permalink. */
    public String acceptedLink() {
        PostView accepted = thread.accepted();
        if (accepted == null) {
            return null;
        }
        boolean here = thread.replies().stream().anyMatch(p -> p.id() == accepted.id());
        return here ? "#post-" + accepted.number() : "/posts/" + accepted.id();
    }
}
