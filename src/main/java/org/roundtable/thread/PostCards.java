package org.roundtable.thread;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Renders the thread page's post cards and reply tree, and keeps what it rendered in memory so that a page shows
 * its posts without running their templates again (the template was half of the page's CPU: docs/benchmarks.md).
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

    /** Cards (by {@link Key}) and reply trees (by {@link Tree}), rendered with {@link #TOKEN_SLOT}. */
    private final Cache<Record, String> kept;

    public PostCards(@ConfigProperty(name = "roundtable.thread.card-cache-chars", defaultValue = "8000000") long maxChars) {
        this.kept = Caffeine.newBuilder()
                .maximumWeight(maxChars)
                .<Record, String>weigher((key, html) -> html.length() + 256)
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

    /** A page's reply tree: its posts' cards, in order, and which of them are new to the viewer. */
    record Tree(List<Key> posts, String newSinceVisit) {
    }

    /**
     * The page with its opening post's card, the accepted answer's and the reply tree rendered, the CSRF token of
     * this session in each form. The reply tree is kept as a whole as well: a page whose posts and viewer
     * permissions are all as before is one lookup.
     */
    ThreadView render(ThreadView view, String csrfName, String csrfToken) {
        ThreadDetail thread = view.thread();
        List<Key> keys = new ArrayList<>(thread.replies().size());
        StringBuilder marks = new StringBuilder(thread.replies().size());
        for (PostView post : thread.replies()) {
            keys.add(Key.of(post, view, false));
            marks.append(post.newSinceVisit() ? '1' : '0');
        }
        // Not kept.get(tree, loader): the loader would update the cache (the cards) inside its own update.
        Tree key = new Tree(keys, marks.toString());
        String tree = kept.getIfPresent(key);
        if (tree == null) {
            Map<Long, String> rendered = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                PostView post = thread.replies().get(i);
                rendered.put(post.id(), card(keys.get(i), post, view, csrfName));
            }
            tree = ThreadPage.Templates.conversation(view.withCards(rendered, null, null)).render();
            kept.put(key, tree);
        }
        Map<Long, String> cards = thread.opening() == null ? Map.of()
                : Map.of(thread.opening().id(), withToken(card(Key.of(thread.opening(), view, false), thread.opening(), view, csrfName), csrfToken));
        String summary = thread.accepted() == null ? null
                : withToken(card(Key.of(thread.accepted(), view, true), thread.accepted(), view, csrfName), csrfToken);
        return view.withCards(cards, summary, withToken(tree, csrfToken));
    }

    private String card(Key key, PostView post, ThreadView view, String csrfName) {
        return kept.get(key, k -> ThreadPage.Templates.postCard(post, view, key.summary(), csrfName, TOKEN_SLOT).render());
    }

    private static String withToken(String html, String csrfToken) {
        return html.replace(TOKEN_SLOT, csrfToken);
    }

    /** How many cards are kept (tests). */
    long size() {
        kept.cleanUp();
        return kept.estimatedSize();
    }
}
