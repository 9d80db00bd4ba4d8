package org.roundtable.search;

import java.time.OffsetDateTime;
import java.util.List;
import org.roundtable.thread.Author;

/**
 * One thread found, with its best matching post: the post's address, where the thread lives, when the post was
 * written (an anonymous post's hour), who wrote it as shown everywhere (an anonymous post: its pseudonym only) and the
 * snippet of its visible text around the matched words ({@code snippetHtml}, and the title as {@code titleHtml}: escaped
 * text with {@code <mark>} around the matches).
 */
public record SearchHit(long threadId, String title, String titleHtml, List<String> tags, boolean solved, boolean locked,
        String channelSlug, String channelName, String cohortSlug, String cohortName, long postId, int postNumber,
        OffsetDateTime postedAt, Author author, String snippet, String snippetHtml) {
}
