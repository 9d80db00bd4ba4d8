package org.roundtable.thread.markdown;

import java.util.Set;

/**
 * A post body rendered to sanitized HTML.
 *
 * @param html     sanitized HTML, safe to embed unescaped
 * @param mentions lowercased usernames that were mentioned and that the caller said exist
 *                 (immutable, in order of first appearance)
 * @param unseen   lowercased usernames of members who were mentioned and who cannot see where the post is (left as
 *                 plain text: not linked, not notified)
 */
public record RenderedPost(String html, Set<String> mentions, Set<String> unseen) {

    public RenderedPost {
        html = html == null ? "" : html;
        mentions = mentions == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(mentions));
        unseen = unseen == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(unseen));
    }

    public RenderedPost(String html, Set<String> mentions) {
        this(html, mentions, Set.of());
    }

    /**
     * The same post, with the members it mentions who cannot see where it is posted ({@code unseen}, lowercased
     * usernames): their mentions are left as plain text, and the composer's preview says that they will not be told.
     */
    public RenderedPost withUnseen(Set<String> unseen) {
        return new RenderedPost(html, mentions, unseen);
    }
}
