package org.roundtable.thread.markdown;

import java.util.Set;

/**
 * A post body rendered to sanitized HTML.
 *
 * @param html     sanitized HTML, safe to embed unescaped
 * @param mentions lowercased usernames that were mentioned and that the caller said exist
 *                 (immutable, in order of first appearance)
 */
public record RenderedPost(String html, Set<String> mentions) {

    public RenderedPost {
        html = html == null ? "" : html;
        mentions = mentions == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(mentions));
    }
}
