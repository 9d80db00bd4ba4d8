package org.roundtable.thread.markdown;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Independent checker for user-generated HTML fragments (a rendered post body), built on jsoup rather
 * than on the sanitizer it checks. Reusable from API-level tests: pass the post's HTML fragment, not a
 * whole page (a page legitimately has forms, inputs, links, meta and scripts of its own).
 */
public final class HtmlSafety {

    /** Elements that must never appear in user content. */
    public static final Set<String> FORBIDDEN_ELEMENTS = Set.of(
            "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
            "svg", "math", "form", "input", "button", "textarea", "select", "option", "meta", "link",
            "base", "template", "portal", "noscript", "xmp", "plaintext", "listing", "xml", "video",
            "audio", "source", "track", "image", "isindex", "keygen", "set", "animate", "use",
            "foreignobject", "handler");

    /** Attributes whose value is (or may contain) a URL. */
    public static final Set<String> URL_ATTRIBUTES = Set.of(
            "href", "src", "action", "formaction", "data", "background", "poster", "cite", "longdesc",
            "lowsrc", "dynsrc", "srcset", "ping", "manifest", "codebase", "classid", "profile",
            "usemap", "icon", "archive", "xlink:href", "xml:base", "to", "from", "values", "by",
            "attributename", "srcdoc");

    private static final Set<String> REQUIRED_RELS = Set.of("nofollow", "ugc", "noopener");

    private HtmlSafety() {
    }

    /** Throws {@link AssertionError} listing every problem when the fragment is not safe. */
    public static void assertSafe(String html) {
        List<String> problems = violations(html);
        if (!problems.isEmpty()) {
            throw new AssertionError("Unsafe HTML: " + problems + "\n--- html ---\n" + html);
        }
    }

    /** Every safety problem found in the fragment; empty when it is safe. */
    public static List<String> violations(String html) {
        List<String> problems = new ArrayList<>();
        Document doc = Jsoup.parseBodyFragment(html == null ? "" : html);
        for (Element el : doc.body().getAllElements()) {
            if (el == doc.body()) {
                continue;
            }
            String tag = el.normalName();
            if (FORBIDDEN_ELEMENTS.contains(tag) || tag.contains(":")) {
                problems.add("forbidden element <" + tag + ">");
            }
            for (Attribute attr : el.attributes()) {
                String name = attr.getKey().toLowerCase(Locale.ROOT);
                String value = attr.getValue();
                if (name.startsWith("on")) {
                    problems.add("event handler " + name + " on <" + tag + ">");
                }
                if (name.equals("style")) {
                    problems.add("style attribute on <" + tag + ">");
                }
                if (name.equals("target") || name.equals("formtarget")) {
                    problems.add(name + " attribute on <" + tag + ">");
                }
                if (name.equals("http-equiv")) {
                    problems.add("http-equiv on <" + tag + ">");
                }
                if (URL_ATTRIBUTES.contains(name) || name.endsWith(":href") || name.endsWith("src")) {
                    if (!isSafeUrl(value)) {
                        problems.add("unsafe URL in " + name + "=\"" + value + "\" on <" + tag + ">");
                    }
                }
            }
            if (tag.equals("a")) {
                Set<String> rels = Set.of(el.attr("rel").toLowerCase(Locale.ROOT).trim().split("\\s+"));
                if (!rels.containsAll(REQUIRED_RELS)) {
                    problems.add("<a> without rel=\"nofollow ugc noopener\": rel=\"" + el.attr("rel") + "\"");
                }
            }
        }
        return problems;
    }

    /** http(s), mailto, site-relative ({@code /}) or fragment ({@code #}), after normalisation. */
    public static boolean isSafeUrl(String value) {
        String v = normalise(value);
        return v.startsWith("http://") || v.startsWith("https://") || v.startsWith("mailto:")
                || v.startsWith("/") || v.startsWith("#");
    }

    /** Lowercased, with all whitespace and control characters (anywhere) removed. */
    private static String normalise(String value) {
        StringBuilder sb = new StringBuilder();
        String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || Character.isWhitespace(c)
                    || Character.getType(c) == Character.FORMAT) {
                continue;
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
