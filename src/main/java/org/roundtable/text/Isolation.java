package org.roundtable.text;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

/**
 * User text in plain text, for templates: {@code {thread.title.isolated}} puts it between the Unicode isolates FSI and
 * PDI ({@link TextRules#isolated}). Plain-text mails use it; a page's {@code <title>} uses {@code isolatedHtml}; HTML
 * elsewhere uses {@code <bdi>} or {@code dir="auto"} on the element that holds the text.
 */
@TemplateExtension
public final class Isolation {

    private Isolation() {
    }

    static String isolated(String text) {
        return TextRules.isolated(text);
    }

    /**
     * {@code {x.isolatedHtml}} in an HTML template: the isolated text ({@link TextRules#isolated}) as escaped HTML in
     * ASCII ({@link #asciiHtml}); null stays null. Why ASCII: the isolates are outside Latin-1, and one of them in a
     * page's {@code <title>} turned the whole rendered page into a UTF-16 string (two bytes a character, a copy at
     * every append, a slow UTF-8 encoding): 13 % of the thread page's CPU (docs/benchmarks.md, "Issue 21").
     */
    static RawString isolatedHtml(String text) {
        return text == null ? null : new RawString(asciiHtml(TextRules.isolated(text)));
    }

    /**
     * Text as HTML: {@code & < > " '} escaped as Qute escapes them, and every character outside printable ASCII
     * (other than tab and line feed) as a numeric character reference of its code point ({@code &#x2068;}), so
     * the result is pure ASCII and reads the same in a browser.
     */
    public static String asciiHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if ((cp >= 0x20 && cp < 0x7F) || cp == '\t' || cp == '\n') {
                        out.append((char) cp);
                    } else {
                        out.append("&#x").append(Integer.toHexString(cp)).append(';');
                    }
                }
            }
        }
        return out.toString();
    }
}
