package org.roundtable.thread.markdown;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;
import org.owasp.html.AttributePolicy;
import org.owasp.html.ElementPolicy;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.HtmlSanitizer;
import org.owasp.html.PolicyFactory;
import org.roundtable.problem.DomainException;

/**
 * Turns post markdown into HTML that is safe to embed unescaped.
 *
 * <p>Pipeline: commonmark (GFM tables, strikethrough, autolink) with raw HTML escaped &rarr; AST
 * rewrite ({@link PostTransformer}: images become links, unsafe links are unwrapped, headings are
 * demoted by two levels, known {@code @mentions} are linked) &rarr; commonmark HTML with its own URL
 * sanitizer &rarr; OWASP allow-list sanitizer (defense in depth: it alone must make any HTML safe).
 *
 * <p>Output elements: p, br, hr, h3&ndash;h6, strong, em, del, s, blockquote, ul, ol[start], li,
 * code[class=language-*], pre, table, thead, tbody, tr, th[align], td[align], a[href, title,
 * class=mention]. Every {@code a} carries {@code rel="nofollow ugc noopener"}; {@code target},
 * {@code style}, event handlers and images are never emitted.
 *
 * <p>Immutable and thread-safe; usable as a CDI bean or with {@code new}.
 */
@ApplicationScoped
public class MarkdownRenderer {

    /** The {@code rel} every link in a post carries. */
    public static final String LINK_REL = "nofollow ugc noopener";

    private static final Pattern LANGUAGE_CLASS = Pattern.compile("language-[A-Za-z0-9_+#.-]{1,40}");
    private static final Pattern OL_START = Pattern.compile("[0-9]{1,9}");

    private static final AttributePolicy SAFE_HREF = (element, attribute, value) -> SafeUrls.clean(value);

    /** Links: only with an allowed href (else the element is dropped, its text kept), fixed rel, no target. */
    private static final ElementPolicy LINK_POLICY = (element, attrs) -> {
        boolean hasHref = false;
        for (int i = attrs.size() - 2; i >= 0; i -= 2) {
            String name = attrs.get(i);
            if ("href".equals(name)) {
                hasHref = true;
            } else if ("rel".equals(name) || "target".equals(name)) {
                attrs.remove(i + 1);
                attrs.remove(i);
            }
        }
        if (!hasHref) {
            return null;
        }
        attrs.add("rel");
        attrs.add(LINK_REL);
        return element;
    };

    static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
                    "strong", "em", "del", "s", "blockquote", "ul", "ol", "li", "code", "pre",
                    "table", "thead", "tbody", "tr", "th", "td")
            .allowElements(LINK_POLICY, "a")
            .allowUrlProtocols("http", "https", "mailto")
            .allowAttributes("href").matching(SAFE_HREF).onElements("a")
            .allowAttributes("title").onElements("a")
            .allowAttributes("class").matching(false, "mention").onElements("a")
            .allowAttributes("class").matching(LANGUAGE_CLASS).onElements("code")
            .allowAttributes("start").matching(OL_START).onElements("ol")
            .allowAttributes("align").matching(true, "left", "center", "right").onElements("th", "td")
            .toFactory();

    private static final List<Extension> EXTENSIONS = List.of(
            TablesExtension.create(), StrikethroughExtension.create(), AutolinkExtension.create());

    private final Parser parser;
    private final HtmlRenderer htmlRenderer;

    public MarkdownRenderer() {
        this(true);
    }

    /**
     * @param escapeRawHtml {@code false} only in tests, to prove the sanitizer alone makes raw HTML
     *                      passed through by commonmark safe
     */
    MarkdownRenderer(boolean escapeRawHtml) {
        // The nesting check first, before the extensions' post-processors: autolinking walks the tree recursively too.
        this.parser = Parser.builder().postProcessor(MarkdownRenderer::refuseDeepNesting).extensions(EXTENSIONS).build();
        this.htmlRenderer = HtmlRenderer.builder()
                .extensions(EXTENSIONS)
                .escapeHtml(escapeRawHtml)
                .sanitizeUrls(true)
                .urlSanitizer(new UrlSanitizer() {
                    @Override
                    public String sanitizeLinkUrl(String url) {
                        String clean = SafeUrls.clean(url);
                        return clean == null ? "" : clean;
                    }

                    @Override
                    public String sanitizeImageUrl(String url) {
                        return ""; // images are turned into links before rendering
                    }
                })
                .nodeRendererFactory(MentionNode.HtmlRenderer::new)
                .build();
    }

    /** Sanitized HTML for the markdown, without linking mentions. {@code null} renders as "". */
    public String render(String markdown) {
        return renderInternal(markdown, null).html();
    }

    /**
     * Sanitized HTML with {@code @username} mentions linked to {@code /members/{username}} for the
     * usernames (passed lowercased) that {@code knownUsername} accepts.
     */
    public RenderedPost render(String markdown, Predicate<String> knownUsername) {
        return renderInternal(markdown, knownUsername == null ? name -> false : knownUsername);
    }

    /**
     * How deep the tree of a post may nest (quotes, lists, emphasis, links: each a level; a list item two). The parser
     * builds any depth without recursion, but autolinking, our transformer and the HTML renderer walk the tree
     * recursively: {@code '>' * 2000} or {@code '- ' * 3000 + 'x'} overflowed the stack (a 500). No text written for
     * people nests this deep.
     */
    public static final int MAX_NESTING = 64;

    /** The parser's first post-processor: refuses (400 on the body) a tree deeper than {@link #MAX_NESTING}. */
    private static Node refuseDeepNesting(Node document) {
        if (nesting(document, MAX_NESTING) > MAX_NESTING) {
            throw tooDeep();
        }
        return document;
    }

    private static DomainException tooDeep() {
        return DomainException.invalid(Map.of("body", "The text nests quotes, lists or emphasis inside one another "
                + "more deeply than can be shown (at most about 30 levels). Flatten it and try again; nothing was posted."));
    }

    /**
     * The tree of the markdown, refused when it nests too deeply. Block nesting (quotes, lists) is measured on the tree
     * before anything walks it recursively ({@link #refuseDeepNesting}). Emphasis is the one kind that commonmark's
     * inline parser itself nests by recursion (merging the text nodes of nested emphasis, {@code '*' * 5000 + 'x' +
     * '*' * 5000}), before there is a tree to measure, and which runs of delimiters nest cannot be known without parsing
     * them. The parse is a pure function of the text over the parser's own local state, so when that recursion runs out
     * of stack, nothing is left behind and the overflow is the answer: too deep.
     */
    private Node parse(String markdown) {
        try {
            return parser.parse(markdown);
        } catch (StackOverflowError tooDeepToParse) {
            throw tooDeep();
        }
    }

    private RenderedPost renderInternal(String markdown, Predicate<String> knownUsername) {
        if (markdown == null || markdown.isEmpty()) {
            return new RenderedPost("", Set.of());
        }
        Node document = parse(markdown);
        PostTransformer transformer = new PostTransformer(knownUsername);
        transformer.transform(document);
        String html = POLICY.sanitize(htmlRenderer.render(document));
        return new RenderedPost(html, transformer.mentions());
    }

    /**
     * The depth of the tree under {@code root} (its children are at depth 1), walked without recursion; the walk stops
     * as soon as the depth passes {@code stopAt}.
     */
    static int nesting(Node root, int stopAt) {
        Node node = root.getFirstChild();
        int depth = 1;
        int deepest = node == null ? 0 : 1;
        while (node != null) {
            if (node.getFirstChild() != null) {
                node = node.getFirstChild();
                depth++;
                deepest = Math.max(deepest, depth);
                if (deepest > stopAt) {
                    return deepest;
                }
                continue;
            }
            while (node != root && node.getNext() == null) {
                node = node.getParent();
                depth--;
            }
            node = node == root ? null : node.getNext();
        }
        return deepest;
    }

    /** Sanitizes arbitrary HTML with the same policy as rendered posts (e.g. for stored HTML). */
    public static String sanitize(String html) {
        return html == null ? "" : POLICY.sanitize(html);
    }

    /** The text of the rendered markdown, markup removed, whitespace collapsed to single spaces. */
    public String toPlainText(String markdown) {
        return htmlToText(render(markdown));
    }

    /**
     * Plain-text excerpt of (rendered) HTML: tags removed, entities decoded, whitespace collapsed, at
     * most {@code maxChars} code points; when cut, it ends on a word boundary where possible and with
     * "…". The result is text, not HTML: escape it when embedding.
     */
    public static String excerpt(String html, int maxChars) {
        return truncate(htmlToText(html), maxChars);
    }

    /**
     * A markdown quote of another post, for prefilling a reply:
     *
     * <pre>
     * [Alice Example wrote](/threads/12#post-34):
     *
     * &gt; first line of the quoted markdown
     * &gt; second line
     * </pre>
     *
     * The label is escaped so it cannot inject markdown; the source is quoted line by line (an
     * unclosed code fence in it ends with the quote); a blank line follows so the reply text does not
     * continue the quote.
     */
    public static String quote(String authorLabel, String postUrl, String markdownSource) {
        StringBuilder out = new StringBuilder();
        String label = escapeMarkdownInline(authorLabel == null ? "" : authorLabel) + " wrote";
        String url = postUrl == null ? "" : postUrl.strip();
        if (url.isEmpty()) {
            out.append(label).append(":\n\n");
        } else {
            out.append('[').append(label).append("](").append(linkDestination(url)).append("):\n\n");
        }
        String source = markdownSource == null ? "" : markdownSource;
        String[] lines = source.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        int end = lines.length;
        while (end > 0 && lines[end - 1].isBlank()) {
            end--;
        }
        int start = 0;
        while (start < end && lines[start].isBlank()) {
            start++;
        }
        if (start == end) {
            out.append(">\n");
        }
        for (int i = start; i < end; i++) {
            out.append(lines[i].isEmpty() ? ">" : "> " + lines[i]).append('\n');
        }
        return out.append('\n').toString();
    }

    /** Backslash-escapes every ASCII punctuation character; line breaks become spaces. */
    static String escapeMarkdownInline(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t' || Character.isISOControl(c)) {
                sb.append(' ');
            } else if (c < 0x80 && isAsciiPunctuation(c)) {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString().strip();
    }

    /** A link destination in angle brackets, with the characters that could end it escaped. */
    private static String linkDestination(String url) {
        StringBuilder sb = new StringBuilder("<");
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            switch (c) {
                case '<' -> sb.append("%3C");
                case '>' -> sb.append("%3E");
                case ' ' -> sb.append("%20");
                case '\\' -> sb.append("%5C");
                default -> {
                    if (!Character.isISOControl(c)) {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('>').toString();
    }

    private static boolean isAsciiPunctuation(char c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }

    private static final Set<String> BLOCK_ELEMENTS = Set.of(
            "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre",
            "table", "thead", "tbody", "tr", "th", "td", "div");

    /** Text content of HTML; block boundaries become spaces; script/style content is skipped. */
    static String htmlToText(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int[] skipDepth = {0};
        HtmlSanitizer.sanitize(html, new HtmlSanitizer.Policy() {
            @Override
            public void openDocument() {
            }

            @Override
            public void closeDocument() {
            }

            @Override
            public void openTag(String name, List<String> attrs) {
                if ("script".equals(name) || "style".equals(name)) {
                    skipDepth[0]++;
                } else if (BLOCK_ELEMENTS.contains(name)) {
                    sb.append(' ');
                }
            }

            @Override
            public void closeTag(String name) {
                if ("script".equals(name) || "style".equals(name)) {
                    skipDepth[0] = Math.max(0, skipDepth[0] - 1);
                } else if (BLOCK_ELEMENTS.contains(name)) {
                    sb.append(' ');
                }
            }

            @Override
            public void text(String text) {
                if (skipDepth[0] == 0) {
                    sb.append(text);
                }
            }
        });
        return sb.toString().replaceAll("[\\s\\u00A0]+", " ").strip();
    }

    static String truncate(String text, int maxChars) {
        if (maxChars <= 0 || text.isEmpty()) {
            return "";
        }
        if (text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        int cut = text.offsetByCodePoints(0, maxChars - 1);
        String head = text.substring(0, cut);
        int space = head.lastIndexOf(' ');
        if (space > cut / 2) {
            head = head.substring(0, space);
        }
        return head.stripTrailing() + "…";
    }
}
