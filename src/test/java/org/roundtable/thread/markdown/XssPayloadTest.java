package org.roundtable.thread.markdown;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XssPayloadTest {

    private static final MarkdownRenderer RENDERER = new MarkdownRenderer();
    /** Raw HTML passed through by commonmark: only the sanitizer stands between it and the page. */
    private static final MarkdownRenderer RAW_HTML_RENDERER = new MarkdownRenderer(false);

    @Test
    void corpusHasEnoughPayloads() {
        List<String> payloads = XssPayloads.load();
        assertTrue(payloads.size() >= 150, "only " + payloads.size() + " payloads");
        assertTrue(payloads.stream().anyMatch(p -> p.contains("\n")), "multi-line entries are loaded");
        assertTrue(payloads.stream().anyMatch(p -> p.contains("\u0000")), "{{U+XXXX}} escapes are decoded");
        assertTrue(payloads.stream().anyMatch(p -> p.contains("\t")), "literal tabs survive");
        assertFalse(payloads.stream().anyMatch(p -> p.startsWith(";;")), "comments are skipped");
    }

    @TestFactory
    Stream<DynamicTest> everyPayloadRendersSafely() {
        List<String> payloads = XssPayloads.load();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            String name = "#" + (i + 1) + " " + oneLine(payload);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                HtmlSafety.assertSafe(RENDERER.render(payload));
                HtmlSafety.assertSafe(RENDERER.render(payload, user -> true).html());
                // The same payload in other markdown containers.
                HtmlSafety.assertSafe(RENDERER.render("> " + payload.replace("\n", "\n> ")));
                HtmlSafety.assertSafe(RENDERER.render("- " + payload.replace("\n", "\n  ")));
                HtmlSafety.assertSafe(RENDERER.render("| a |\n|---|\n| " + payload.replace("\n", " ") + " |"));
                HtmlSafety.assertSafe(RENDERER.render(MarkdownRenderer.quote(payload, payload, payload)));
                // Defense in depth: the sanitizer alone, with commonmark passing raw HTML through,
                // and fed the payload as HTML directly.
                HtmlSafety.assertSafe(RAW_HTML_RENDERER.render(payload, user -> true).html());
                HtmlSafety.assertSafe(MarkdownRenderer.sanitize(payload));
                // Excerpts are plain text (escaped by whoever embeds them); they must not fail on hostile input.
                String excerpt = MarkdownRenderer.excerpt(RENDERER.render(payload), 200);
                assertTrue(excerpt.codePointCount(0, excerpt.length()) <= 200, excerpt);
            }));
        }
        return tests.stream();
    }

    @Test
    void corpusPayloadsDoNotCrashTheRendererWhenConcatenated() {
        String all = String.join("\n\n", XssPayloads.load());
        assertDoesNotThrow(() -> HtmlSafety.assertSafe(RENDERER.render(all)));
    }

    // --- control tests: the checker itself must be able to fail ---

    @ParameterizedTest
    @ValueSource(strings = {
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
            "<a href=\" JaVa&#x09;ScRiPt:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
            "<a href=\"&#0001;javascript:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
            "<a href=\"vbscript:msgbox(1)\" rel=\"nofollow ugc noopener\">x</a>",
            "<a href=\"data:text/html,x\" rel=\"nofollow ugc noopener\">x</a>",
            "<a href=\"relative/path\" rel=\"nofollow ugc noopener\">x</a>",
            "<a href=\"http://example.com\">no rel</a>",
            "<a href=\"http://example.com\" rel=\"nofollow ugc\">missing noopener</a>",
            "<a href=\"http://example.com\" rel=\"nofollow ugc noopener\" target=\"_blank\">x</a>",
            "<p style=\"color:red\">x</p>",
            "<p ONCLICK=\"alert(1)\">x</p>",
            "<script>alert(1)</script>",
            "<style>p{}</style>",
            "<iframe src=\"https://example.com\"></iframe>",
            "<object data=\"https://example.com\"></object>",
            "<embed src=\"https://example.com\">",
            "<svg></svg>",
            "<math></math>",
            "<form action=\"/x\"></form>",
            "<input value=x>",
            "<meta http-equiv=refresh content=0>",
            "<link rel=stylesheet href=\"https://example.com/x.css\">",
            "<base href=\"https://example.com/\">",
            "<img src=\"javascript:alert(1)\">",
            "<button formaction=\"javascript:alert(1)\">x</button>",
    })
    void checkerRejectsUnsafeHtml(String unsafe) {
        assertThrows(AssertionError.class, () -> HtmlSafety.assertSafe(unsafe));
    }

    @Test
    void checkerAcceptsSafeHtml() {
        HtmlSafety.assertSafe("<p>Hello <a href=\"https://example.com\" rel=\"nofollow ugc noopener\">x</a>"
                + " <a href=\"/members/alice\" class=\"mention\" rel=\"nofollow ugc noopener\">@alice</a>"
                + " <a href=\"#top\" rel=\"nofollow ugc noopener\">top</a>"
                + " <a href=\"mailto:a@example.com\" rel=\"nofollow ugc noopener\">mail</a></p>"
                + "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>");
        assertEquals(List.of(), HtmlSafety.violations("<table><tr><td align=\"left\">x</td></tr></table>"));
    }

    private static String oneLine(String payload) {
        StringBuilder sb = new StringBuilder();
        payload.codePoints().limit(70).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                sb.append(String.format("\\x%02x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
