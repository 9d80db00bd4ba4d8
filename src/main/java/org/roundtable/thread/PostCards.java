package org.roundtable.thread;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Renders the thread page's post cards, and keeps each rendered card in memory so that a page shows most of its posts
 * without running the card template again (the template was half of the page's CPU: docs/benchmarks.md).
 *
 * <p>A card is kept under everything it is rendered from: the post as read from the database for this request (its
 * version stands for its body, which changes only with the version; reactions, flags, author, "mine" and the reply
 * target are compared as they are) and what the viewer may do on the page. So a cached card is only ever used for the
 * same input, never stale, and correct with several app instances. The CSRF token, which differs per session, is
 * rendered as a placeholder and put in per request. Bounded by the characters kept
 * ({@code roundtable.thread.card-cache-chars}); nothing in it is written anywhere.
 */
@ApplicationScoped
public class PostCards {

    /** Stands for the session's CSRF token in a kept card: letters only, so HTML escaping leaves it as it is. */
    static final String TOKEN_SLOT = "rtcsrftokenslot";

    private final Cache<Key, String> cards;

    public PostCards(@ConfigProperty(name = "roundtable.thread.card-cache-chars", defaultValue = "8000000") long maxChars) {
        this.cards = Caffeine.newBuilder()
                .maximumWeight(maxChars)
                .<Key, String>weigher((key, card) -> card.length() + 256)
                .build();
    }

    /** What a card is rendered from: the post without its body (see above) and the viewer's permissions on the page. */
    record Key(PostView post, boolean hasBody, boolean summary, long threadId, boolean canWrite, boolean canReply,
            boolean moderator, boolean canAnswer, String acceptedLink) {

        static Key of(PostView post, ThreadView view, boolean summary) {
            PostView shape = new PostView(post.id(), post.number(), post.replyTo(), post.replyToNumber(),
                    post.replyToAuthor(), post.author(), null, post.createdAt(), post.editedAt(), post.version(),
                    post.deleted(), post.depth(), post.reactions(), post.mine(), post.accepted(), false, post.opener(),
                    post.hidden(), post.held());
            return new Key(shape, post.html() != null, summary, view.id(), view.canWrite(), view.canReply(),
                    view.thread().moderator(), view.canAnswer(), summary ? view.acceptedLink() : null);
        }
    }

    /** The page with every shown post's card, the CSRF token of this session in each form. */
    ThreadView render(ThreadView view, String csrfName, String csrfToken) {
        ThreadDetail thread = view.thread();
        Map<Long, String> rendered = new HashMap<>();
        if (thread.opening() != null) {
            rendered.put(thread.opening().id(), card(thread.opening(), view, false, csrfName, csrfToken));
        }
        for (PostView post : thread.replies()) {
            rendered.put(post.id(), card(post, view, false, csrfName, csrfToken));
        }
        String summary = thread.accepted() == null ? null : card(thread.accepted(), view, true, csrfName, csrfToken);
        return view.withCards(rendered, summary);
    }

    private String card(PostView post, ThreadView view, boolean summary, String csrfName, String csrfToken) {
        String card = cards.get(Key.of(post, view, summary),
                key -> ThreadPage.Templates.postCard(post, view, summary, csrfName, TOKEN_SLOT).render());
        return card.replace(TOKEN_SLOT, csrfToken);
    }

    /** How many cards are kept (tests). */
    long size() {
        cards.cleanUp();
        return cards.estimatedSize();
    }
}
