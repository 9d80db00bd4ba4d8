package org.roundtable.thread.markdown;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;

/**
 * Per-render rewrite of the parsed commonmark AST (one instance per call, so not shared between
 * threads):
 * <ol>
 *   <li>images become plain links whose text is the alt text (no remote images loaded in readers'
 *       browsers);</li>
 *   <li>links whose destination is not on the {@link SafeUrls} allow-list are unwrapped to their
 *       text;</li>
 *   <li>headings are demoted by two levels (h1&rarr;h3, h2&rarr;h4, h3&rarr;h5, deeper&rarr;h6) so a
 *       post never competes with the page's own h1/h2;</li>
 *   <li>optionally, {@code @username} in text (not in code, not inside links, not part of an email
 *       address) becomes a {@link MentionNode} when the predicate says the user exists.</li>
 * </ol>
 */
final class PostTransformer {

    /**
     * An {@code @} not preceded by a character that would make it part of a word, email address or
     * path; the name must not continue past 30 characters.
     */
    static final Pattern MENTION = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.+\\-@/\\\\])@([a-z0-9_.-]{2,30})(?![a-z0-9_.\\-@])",
            Pattern.CASE_INSENSITIVE);

    private final Predicate<String> knownUsername;
    private final Set<String> mentions = new LinkedHashSet<>();

    /** @param knownUsername {@code null} to leave mentions as text */
    PostTransformer(Predicate<String> knownUsername) {
        this.knownUsername = knownUsername;
    }

    Set<String> mentions() {
        return mentions;
    }

    void transform(Node document) {
        Collector collector = new Collector();
        document.accept(collector);

        for (Image image : collector.images) {
            if (insideLink(image)) {
                // [![alt](src)](href): keep just the alt text inside the outer link, never nest links.
                unwrap(image);
                continue;
            }
            Link link = new Link(image.getDestination(), image.getTitle());
            moveChildren(image, link);
            if (link.getFirstChild() == null && image.getDestination() != null) {
                link.appendChild(new Text(image.getDestination()));
            }
            image.insertBefore(link);
            image.unlink();
            collector.links.add(link);
        }
        for (Link link : collector.links) {
            String clean = SafeUrls.clean(link.getDestination());
            if (clean == null) {
                unwrap(link);
            } else {
                link.setDestination(clean);
            }
        }
        for (Heading heading : collector.headings) {
            heading.setLevel(Math.min(6, heading.getLevel() + 2));
        }
        if (knownUsername != null) {
            for (Text text : collector.texts) {
                if (text.getParent() != null && !insideLink(text)) {
                    linkMentions(text);
                }
            }
        }
    }

    private void linkMentions(Text text) {
        String literal = text.getLiteral();
        if (literal == null || literal.indexOf('@') < 0) {
            return;
        }
        Matcher m = MENTION.matcher(literal);
        int last = 0;
        List<Node> pieces = new ArrayList<>();
        while (m.find()) {
            String candidate = m.group(1);
            String accepted = acceptedName(candidate);
            if (accepted == null) {
                continue;
            }
            int start = m.start();
            int end = m.start(1) + accepted.length();
            if (start > last) {
                pieces.add(new Text(literal.substring(last, start)));
            }
            String username = accepted.toLowerCase(Locale.ROOT);
            pieces.add(new MentionNode(username, accepted));
            mentions.add(username);
            last = end;
        }
        if (pieces.isEmpty()) {
            return;
        }
        for (Node piece : pieces) {
            text.insertBefore(piece);
        }
        if (last < literal.length()) {
            text.setLiteral(literal.substring(last));
        } else {
            text.unlink();
        }
    }

    /**
     * The candidate if it names a known member, else the same with trailing dots trimmed one at a time
     * (so "thanks @alice." mentions alice), or {@code null}.
     */
    private String acceptedName(String candidate) {
        String name = candidate;
        while (name.length() >= 2) {
            if (hasLetterOrDigit(name) && knownUsername.test(name.toLowerCase(Locale.ROOT))) {
                return name;
            }
            char lastChar = name.charAt(name.length() - 1);
            if (lastChar != '.') {
                return null;
            }
            name = name.substring(0, name.length() - 1);
        }
        return null;
    }

    private static boolean hasLetterOrDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean insideLink(Node node) {
        for (Node p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof Link || p instanceof Image) {
                return true;
            }
        }
        return false;
    }

    private static void moveChildren(Node from, Node to) {
        Node child = from.getFirstChild();
        while (child != null) {
            Node next = child.getNext();
            to.appendChild(child);
            child = next;
        }
    }

    private static void unwrap(Node node) {
        Node child = node.getFirstChild();
        while (child != null) {
            Node next = child.getNext();
            node.insertBefore(child);
            child = next;
        }
        node.unlink();
    }

    /** Collects nodes first; the tree is changed only after the walk. Code nodes carry no Text children. */
    private static final class Collector extends AbstractVisitor {
        final List<Image> images = new ArrayList<>();
        final List<Link> links = new ArrayList<>();
        final List<Heading> headings = new ArrayList<>();
        final List<Text> texts = new ArrayList<>();

        @Override
        public void visit(Image image) {
            images.add(image);
            visitChildren(image);
        }

        @Override
        public void visit(Link link) {
            links.add(link);
            visitChildren(link);
        }

        @Override
        public void visit(Heading heading) {
            headings.add(heading);
            visitChildren(heading);
        }

        @Override
        public void visit(Text text) {
            texts.add(text);
        }
    }
}
