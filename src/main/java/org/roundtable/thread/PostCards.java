package org.roundtable.thread;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roundtable.web.TimeFormat;

/**
 * Renders the thread page's posts, and keeps each rendered post in memory so that a page shows its posts without
 * running their templates again (the templates were half of the page's CPU: docs/benchmarks.md).
 *
 * <p>A post is kept under everything it is rendered from ({@link Key}): the post as read from the database for this
 * request and what the viewer may do on the page. So a kept post is only ever used for the same input: never stale,
 * and right with several app instances. What is kept is the post's HTML without its body and without the session's
 * CSRF token and without its time ({@link Fragment}); they are put in per request (the time is relative to now, in the
 * viewer's zone), so the cache holds the markup around the posts, not
 * their text (about 1.5 KB a post), and no session's token. Bounded by the characters kept
 * ({@code roundtable.thread.card-cache-chars}); nothing in it is written anywhere. The CSRF field's name is not in
 * the key: it is a constant ({@code CsrfTokens.FIELD}), the same for every request.
 *
 * <p>The reply tree is put together here from the kept posts: a reply's kept HTML is its card inside the opening of
 * its {@code article} (ThreadPage/replyCard.html); its replies, the closing tags and the "new since your last visit"
 * line are the constants below.
 */
@ApplicationScoped
public class PostCards {

    /**
     * Where a post's body and the session's CSRF token go. Both start with "&lt;", which a post's body (sanitized HTML,
     * with no such element) and every value escaped by Qute can never contain, so no text written by a member can
     * stand for them.
     */
    static final String BODY_SLOT = "<rt-slot body>";
    static final String TOKEN_SLOT = "<rt-slot csrf>";
    /** Where the post's time goes (ThreadPage/postCard.html): relative to now, so made per request, in the viewer's zone. */
    static final String TIME_SLOT = "<rt-slot time>";

    private static final String NEW_MARKER = "<div class=\"new-marker\" id=\"new\">New since your last visit</div>\n";
    private static final String REPLIES_OPEN = "  <div class=\"replies\">\n";
    private static final String REPLIES_CLOSE = "  </div>\n";
    private static final String ARTICLE_CLOSE = "</article>\n";

    private final Cache<Key, Fragment> kept;

    public PostCards(@ConfigProperty(name = "roundtable.thread.card-cache-chars", defaultValue = "24000000") long maxChars) {
        this.kept = Caffeine.newBuilder()
                .maximumWeight(maxChars)
                .<Key, Fragment>weigher((key, fragment) -> fragment.length() + 256)
                .executor(Runnable::run)
                .build();
    }

    /**
     * What a post's HTML is rendered from: the post without its body (its version stands for the body, which changes
     * only with the version), whether it is shown as a reply in the tree, as the page's opening post or as the
     * accepted answer's summary, and the viewer's permissions on the page.
     */
    record Key(PostView post, boolean hasBody, boolean reply, boolean summary, long threadId, boolean canWrite,
            boolean canReply, boolean canReact, boolean moderator, boolean canAnswer, String acceptedLink) {

        /** Cheap: a post's keys differ mostly by post and version; {@link #equals} compares everything. */
        @Override
        public int hashCode() {
            return (Long.hashCode(post.id()) * 31 + post.version()) * 31 + (reply ? 1 : 0) + (summary ? 2 : 0)
                    + (canWrite ? 4 : 0) + (moderator ? 8 : 0) + (post.mine() ? 16 : 0);
        }

        static Key of(PostView post, ThreadView view, boolean reply, boolean summary) {
            return new Key(shape(post, null, reply && post.newSinceVisit()), PostCards.hasBody(post), reply, summary,
                    view.id(), view.canWrite(), view.canReply(), view.canReact(), view.thread().moderator(), view.canAnswer(),
                    summary ? view.acceptedLink() : null);
        }
    }

    /** Whether the viewer is shown the post's body (a hidden post's is empty for members: the template tests it). */
    private static boolean hasBody(PostView post) {
        return post.html() != null && !post.html().isEmpty();
    }

    private static PostView shape(PostView post, String html, boolean newSinceVisit) {
        return new PostView(post.id(), post.number(), post.replyTo(), post.replyToNumber(), post.replyToAuthor(),
                post.author(), html, post.createdAt(), post.editedAt(), post.version(), post.deleted(), post.depth(),
                post.reactions(), post.mine(), post.accepted(), newSinceVisit, post.opener(), post.hidden(), post.held());
    }

    /**
     * Rendered HTML cut at its slots: {@code parts[i]}, then what {@code holes[i]} stands for (a post's body, the CSRF
     * token or the post's time), then {@code parts[i + 1]}, and so on.
     */
    record Fragment(String[] parts, byte[] holes, int length) {

        static final byte BODY = 0;
        static final byte TOKEN = 1;
        static final byte TIME = 2;
        private static final String[] SLOTS = {BODY_SLOT, TOKEN_SLOT, TIME_SLOT};

        static Fragment of(String html) {
            List<String> parts = new ArrayList<>();
            List<Byte> holes = new ArrayList<>();
            int from = 0;
            while (true) {
                int at = -1;
                byte kind = -1;
                for (byte k = 0; k < SLOTS.length; k++) {
                    int i = html.indexOf(SLOTS[k], from);
                    if (i >= 0 && (at < 0 || i < at)) {
                        at = i;
                        kind = k;
                    }
                }
                if (at < 0) {
                    break;
                }
                parts.add(html.substring(from, at));
                holes.add(kind);
                from = at + SLOTS[kind].length();
            }
            parts.add(html.substring(from));
            byte[] kinds = new byte[holes.size()];
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = holes.get(i);
            }
            return new Fragment(parts.toArray(String[]::new), kinds, html.length());
        }

        void appendTo(StringBuilder out, String body, String csrfToken, String time) {
            for (int i = 0; i < holes.length; i++) {
                out.append(parts[i]).append(holes[i] == BODY ? body : holes[i] == TOKEN ? csrfToken : time);
            }
            out.append(parts[holes.length]);
        }
    }

    /** The page with its opening post, the accepted answer's summary and the reply tree rendered for this session. */
    ThreadView render(ThreadView view, String csrfName, String csrfToken, ZoneId zone) {
        ThreadDetail thread = view.thread();
        String token = csrfToken == null ? "" : csrfToken; // as Qute renders a missing value
        String opening = thread.opening() == null ? null : html(thread.opening(), view, false, csrfName, token, zone);
        String summary = thread.accepted() == null ? null : html(thread.accepted(), view, true, csrfName, token, zone);
        StringBuilder tree = new StringBuilder(thread.replies().size() * 3000);
        write(tree, view.replies(), view, csrfName, token, zone);
        return view.withCards(opening, summary, tree.toString());
    }

    private void write(StringBuilder out, List<ReplyNode> nodes, ThreadView view, String csrfName, String csrfToken,
            ZoneId zone) {
        for (ReplyNode node : nodes) {
            if (node.newMarker()) {
                out.append(NEW_MARKER);
            }
            fragment(node.post(), view, true, false, csrfName).appendTo(out, node.post().html(), csrfToken,
                    TimeFormat.element(node.post().createdAt(), zone));
            if (node.hasReplies()) {
                out.append(REPLIES_OPEN);
                write(out, node.replies(), view, csrfName, csrfToken, zone);
                out.append(REPLIES_CLOSE);
            }
            out.append(ARTICLE_CLOSE);
        }
    }

    /** The opening post's card, or the accepted answer's summary card: shown outside the reply tree. */
    private String html(PostView post, ThreadView view, boolean summary, String csrfName, String csrfToken, ZoneId zone) {
        StringBuilder out = new StringBuilder(3000);
        fragment(post, view, false, summary, csrfName).appendTo(out, post.html(), csrfToken,
                TimeFormat.element(post.createdAt(), zone));
        return out.toString();
    }

    private Fragment fragment(PostView post, ThreadView view, boolean reply, boolean summary, String csrfName) {
        Key key = Key.of(post, view, reply, summary);
        return kept.get(key, k -> {
            PostView slotted = shape(post, hasBody(post) ? BODY_SLOT : post.html(), post.newSinceVisit());
            return Fragment.of((reply ? ThreadPage.Templates.replyCard(slotted, view, false, csrfName, TOKEN_SLOT)
                    : ThreadPage.Templates.postCard(slotted, view, summary, csrfName, TOKEN_SLOT)).render());
        });
    }

    /** How many posts are kept (tests). */
    long size() {
        kept.cleanUp();
        return kept.estimatedSize();
    }
}
