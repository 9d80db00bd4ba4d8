package org.roundtable.digest;

import java.util.List;

/**
 * What one digest mail shows, for its Qute templates (plain text and HTML). Authors of anonymous posts appear only as
 * their pseudonym handle; replies to the member's own anonymous posts only as a count, naming no thread.
 */
public record DigestView(String memberName, String title, String periodLabel, List<ThreadEntry> threads, int moreThreads,
        int anonymousReplies, String baseUrl, String notificationsUrl, String preferencesUrl, String unsubscribeUrl) {

    public record ThreadEntry(long threadId, String title, String channel, String reason, int newPosts, List<PostEntry> posts,
            String url) {

        /** Posts not shown of this thread's new ones. */
        public int morePosts() {
            return Math.max(0, newPosts - posts.size());
        }
    }

    public record PostEntry(long postId, String author, String excerpt, String url) {
    }

    public int itemCount() {
        return threads.stream().mapToInt(ThreadEntry::newPosts).sum() + anonymousReplies;
    }
}
