package org.roundtable.search;

/**
 * Turns what {@code ts_headline} gives for a post's stored HTML into a snippet a page can show: the matched words
 * between the two marker characters become {@code <mark>}, everything else is text, escaped. ts_headline leaves out the
 * HTML's tags but keeps its character references, which are decoded here first (the sanitizer writes {@code @} as
 * {@code &#64;}). A marker character typed in a post can open or close a mark, never make markup.
 */
final class Snippets {

    /** The characters ts_headline is told to put around a match (Unicode private use: no text means anything by them). */
    static final char START = '\uE000';
    static final char STOP = '\uE001';

    /** The ts_headline options: two short passages around the matches. */
    static final String OPTIONS = "StartSel=" + START + ", StopSel=" + STOP
            + ", MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=\" … \"";

    /** The ts_headline options for a title: all of it, its matches marked. */
    static final String TITLE_OPTIONS = "HighlightAll=true, StartSel=" + START + ", StopSel=" + STOP;

    /**
     * SQL: a plain-text column (a title) written as HTML text, so that ts_headline, which reads HTML, drops nothing of
     * it ({@code <b>} in a title is text, not a tag) and {@link #html} gives it back as typed.
     */
    static String asHtmlText(String column) {
        return "replace(replace(replace(" + column + ", '&', '&amp;'), '<', '&lt;'), '>', '&gt;')";
    }

    private Snippets() {
    }

    /** The snippet as HTML: escaped text with {@code <mark>} around matches. */
    static String html(String headline) {
        String text = decode(headline == null ? "" : headline).replaceAll("\\s+", " ").strip();
        StringBuilder out = new StringBuilder(text.length() + 32);
        boolean open = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case START -> {
                    if (!open) {
                        out.append("<mark>");
                        open = true;
                    }
                }
                case STOP -> {
                    if (open) {
                        out.append("</mark>");
                        open = false;
                    }
                }
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        if (open) {
            out.append("</mark>");
        }
        return out.toString();
    }

    /** The snippet as plain text (no marks). */
    static String text(String headline) {
        return decode(headline == null ? "" : headline).replace(String.valueOf(START), "").replace(String.valueOf(STOP), "")
                .replaceAll("\\s+", " ").strip();
    }

    /** Decodes the character references a sanitized body holds: numeric ones and the few named ones HTML needs. */
    static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            int semi = ch == '&' ? s.indexOf(';', i) : -1;
            if (semi > i && semi - i <= 10) {
                String ref = s.substring(i + 1, semi);
                String decoded = reference(ref);
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            out.append(ch);
            i++;
        }
        return out.toString();
    }

    private static String reference(String ref) {
        try {
            if (ref.startsWith("#x") || ref.startsWith("#X")) {
                return codePoint(Integer.parseInt(ref.substring(2), 16));
            }
            if (ref.startsWith("#")) {
                return codePoint(Integer.parseInt(ref.substring(1)));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return switch (ref) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> "\u00a0";
            default -> null;
        };
    }

    private static String codePoint(int cp) {
        return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
    }
}
