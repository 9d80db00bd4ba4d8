package org.roundtable.digest;

import java.util.List;

/**
 * What one digest mail shows, for its Qute templates (plain text and HTML). Authors of anonymous posts appear only as
 * their pseudonym handle, to their authors as to everyone: a digest shows what the member follows, never anything that
 * depends on what they wrote anonymously (docs/security/anonymity.md, "How": digests).
 */
public record DigestView(String memberName, String title, String periodLabel, List<ThreadEntry> threads, int moreThreads,
        String baseUrl, String notificationsUrl, String preferencesUrl, String unsubscribeUrl) {

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
        return threads.stream().mapToInt(ThreadEntry::newPosts).sum();
    }
}
