package org.roundtable.thread.markdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

    private final MarkdownRenderer renderer = new MarkdownRenderer();

    private static final Predicate<String> KNOWN = Set.of("alice", "bob_smith", "carol.d")::contains;

    private Document html(String markdown) {
        String out = renderer.render(markdown);
        HtmlSafety.assertSafe(out);
        return Jsoup.parseBodyFragment(out);
    }

    @Test
    void rendersBasicMarkdown() {
        Document doc = html("Hello **bold** and *em* and `code`\n\n> quoted\n\n- a\n- b\n\n3. three\n4. four\n\n---");
        assertEquals("bold", doc.selectFirst("p > strong").text());
        assertEquals("em", doc.selectFirst("p > em").text());
        assertEquals("code", doc.selectFirst("p > code").text());
        assertEquals("quoted", doc.selectFirst("blockquote > p").text());
        assertEquals(2, doc.select("ul > li").size());
        assertEquals("3", doc.selectFirst("ol").attr("start"));
        assertNotNull(doc.selectFirst("hr"));
    }

    @Test
    void fencedCodeKeepsLanguageClassAndEscapesContent() {
        Document doc = html("```java\nif (a < b) { x(\"<b>\"); }\n```");
        Element code = doc.selectFirst("pre > code");
        assertEquals("language-java", code.className());
        assertEquals("if (a < b) { x(\"<b>\"); }\n", code.wholeText());
        assertTrue(code.children().isEmpty());
    }

    @Test
    void headingsAreDemotedByTwoLevels() {
        Document doc = html("# One\n\n## Two\n\n### Three\n\n#### Four\n\n###### Six");
        assertEquals("One", doc.selectFirst("h3").text());
        assertEquals("Two", doc.selectFirst("h4").text());
        assertEquals("Three", doc.selectFirst("h5").text());
        assertEquals(List.of("Four", "Six"), doc.select("h6").eachText());
        assertTrue(doc.select("h1, h2").isEmpty());
    }

    @Test
    void rendersTables() {
        Document doc = html("| Left | Center | Right |\n|:-----|:------:|------:|\n| a | **b** | c |");
        assertEquals(List.of("Left", "Center", "Right"), doc.select("table > thead > tr > th").eachText());
        assertEquals("center", doc.select("th").get(1).attr("align"));
        assertEquals("right", doc.select("tbody td").get(2).attr("align"));
        assertEquals("b", doc.selectFirst("tbody td strong").text());
    }

    @Test
    void rendersStrikethrough() {
        Document doc = html("this is ~~gone~~ now");
        assertEquals("gone", doc.selectFirst("del").text());
    }

    @Test
    void autolinksUrlsAndEmails() {
        Document doc = html("see https://example.com/a?b=c and www.example.org or write to head@school.example");
        Elements links = doc.select("a");
        assertEquals(List.of("https://example.com/a?b=c", "http://www.example.org", "mailto:head@school.example"),
                links.eachAttr("href"));
    }

    @Test
    void everyLinkGetsRelAndNoTarget() {
        Document doc = html("[a](https://example.com) [b](/threads/1) [c](#reply-2) [d](mailto:x@example.com) <https://e.example>");
        Elements links = doc.select("a");
        assertEquals(5, links.size());
        for (Element a : links) {
            assertEquals(MarkdownRenderer.LINK_REL, a.attr("rel"));
            assertFalse(a.hasAttr("target"));
        }
        assertEquals(List.of("https://example.com", "/threads/1", "#reply-2", "mailto:x@example.com", "https://e.example"),
                links.eachAttr("href"));
    }

    @Test
    void linkTitleIsKeptAsPlainAttribute() {
        Element a = html("[a](https://example.com \"The title\")").selectFirst("a");
        assertEquals("The title", a.attr("title"));
    }

    @Test
    void disallowedLinkTargetsBecomeText() {
        Document doc = html("[one](javascript:alert(1)) [two](relative/page) [three](ftp://x.example/f) [four](data:text/html,x)");
        assertTrue(doc.select("a").isEmpty(), doc.html());
        assertEquals("one two three four", doc.text());
    }

    @Test
    void rawHtmlIsEscapedNotRendered() {
        String out = renderer.render("a <b>bold</b> and\n\n<div class=\"x\">block</div>");
        Document doc = Jsoup.parseBodyFragment(out);
        assertTrue(doc.select("b, div").isEmpty(), out);
        assertTrue(doc.text().contains("<b>bold</b>"), doc.text());
        assertTrue(doc.text().contains("<div class=\"x\">block</div>"), doc.text());
    }

    @Test
    void imagesBecomePlainLinksWithAltText() {
        Document doc = html("![a diagram](https://example.com/d.png \"t\") ![](https://example.com/e.png) ![bad](javascript:alert(1))");
        assertTrue(doc.select("img").isEmpty());
        Elements links = doc.select("a");
        assertEquals(List.of("https://example.com/d.png", "https://example.com/e.png"), links.eachAttr("href"));
        assertEquals(List.of("a diagram", "https://example.com/e.png"), links.eachText());
        assertTrue(doc.text().endsWith("bad"), doc.text());
    }

    @Test
    void linkedImageDoesNotNestLinks() {
        Document doc = html("[![logo](https://example.com/l.png)](https://example.com)");
        Elements links = doc.select("a");
        assertEquals(1, links.size());
        assertEquals("https://example.com", links.first().attr("href"));
        assertEquals("logo", links.first().text());
    }

    @Test
    void mentionsOfKnownUsersAreLinked() {
        RenderedPost post = renderer.render("Thanks @Alice and @bob_smith, also @carol.d. Not @nobody.", KNOWN);
        HtmlSafety.assertSafe(post.html());
        Document doc = Jsoup.parseBodyFragment(post.html());
        Elements mentions = doc.select("a.mention");
        assertEquals(List.of("/members/alice", "/members/bob_smith", "/members/carol.d"), mentions.eachAttr("href"));
        assertEquals(List.of("@Alice", "@bob_smith", "@carol.d"), mentions.eachText());
        assertEquals(List.of("alice", "bob_smith", "carol.d"), List.copyOf(post.mentions()));
        assertTrue(doc.text().endsWith("also @carol.d. Not @nobody."), doc.text());
    }

    @Test
    void mentionsAreNotLinkedInCodeLinksOrEmails() {
        RenderedPost post = renderer.render(String.join("\n\n",
                "`@alice` in code",
                "```\n@alice in a block\n```",
                "    @alice indented",
                "[@alice](https://example.com) in a link",
                "mail alice@example.com or bob@alice.example",
                "x@alice without tld, path example.com/@alice",
                "@alicex and @alice_ are other names"), KNOWN);
        Document doc = Jsoup.parseBodyFragment(post.html());
        assertTrue(doc.select("a.mention").isEmpty(), post.html());
        assertEquals(Set.of(), post.mentions());
    }

    @Test
    void tooLongNamesAreNotTruncatedIntoMentions() {
        String longName = "a".repeat(31);
        RenderedPost post = renderer.render("@" + longName, name -> true);
        assertEquals(Set.of(), post.mentions());
        assertEquals(Set.of("a".repeat(30)), renderer.render("@" + "a".repeat(30), name -> true).mentions());
    }

    @Test
    void mentionsInsideFormattingAndListsAreLinked() {
        RenderedPost post = renderer.render("- **@alice** said\n- > ask @bob_smith", KNOWN);
        assertEquals(List.of("alice", "bob_smith"), List.copyOf(post.mentions()));
        assertEquals(2, Jsoup.parseBodyFragment(post.html()).select("li a.mention").size());
    }

    @Test
    void plainRenderDoesNotLinkMentions() {
        assertFalse(renderer.render("hi @alice").contains("mention"));
        RenderedPost post = renderer.render("hi @alice", null);
        assertEquals(Set.of(), post.mentions());
    }

    @Test
    void quoteRoundTripsIntoABlockquoteWithAttributionLink() {
        String source = "First line with **bold**\n\n> an older quote\n\n```\nunclosed fence";
        String md = MarkdownRenderer.quote("Dr. [Jane] *Doe* <admin>", "/threads/7#post-42", source) + "My reply";
        Document doc = html(md);

        Element attribution = doc.selectFirst("body > p > a");
        assertEquals("/threads/7#post-42", attribution.attr("href"));
        assertEquals("Dr. [Jane] *Doe* <admin> wrote", attribution.text());

        Element quote = doc.selectFirst("body > blockquote");
        assertNotNull(quote, doc.html());
        assertEquals("bold", quote.selectFirst("strong").text());
        assertEquals("an older quote", quote.selectFirst("blockquote blockquote").text());
        assertEquals("unclosed fence", quote.selectFirst("pre code").text().strip());

        Element last = doc.body().children().last();
        assertEquals("p", last.tagName());
        assertEquals("My reply", last.text());
    }

    @Test
    void quoteFormat() {
        assertEquals("[Ann wrote](</p/1>):\n\n> a\n>\n> b\n\n", MarkdownRenderer.quote("Ann", "/p/1", "a\r\n\r\nb\n\n"));
        assertEquals("Ann wrote:\n\n>\n\n", MarkdownRenderer.quote("Ann", null, ""));
        assertEquals("[\\[x\\]\\(javascript\\:alert\\(1\\)\\) wrote](</p/1>):\n\n> q\n\n",
                MarkdownRenderer.quote("[x](javascript:alert(1))", "/p/1", "q"));
    }

    @Test
    void quoteWithHostileUrlYieldsNoUnsafeLink() {
        String md = MarkdownRenderer.quote("x", "javascript:alert(1)> <script>", "q");
        Document doc = html(md);
        assertTrue(doc.select("a").isEmpty(), doc.html());
    }

    @Test
    void excerptAndPlainText() {
        String out = renderer.render("# Title\n\nSome *emphasis* & <b>text</b>.\n\n- one\n- two");
        assertEquals("Title Some emphasis & <b>text</b>. one two", MarkdownRenderer.excerpt(out, 200));
        assertEquals("Title Some…", MarkdownRenderer.excerpt(out, 15));
        assertTrue(MarkdownRenderer.excerpt(out, 15).codePointCount(0, 11) <= 15);
        assertEquals("", MarkdownRenderer.excerpt(out, 0));
        assertEquals("", MarkdownRenderer.excerpt(null, 10));
        assertEquals("Title Some emphasis & <b>text</b>. one two", renderer.toPlainText("# Title\n\nSome *emphasis* & <b>text</b>.\n\n- one\n- two"));
        String cut = MarkdownRenderer.excerpt("<p>" + "word ".repeat(50) + "</p>", 23);
        assertEquals("word word word word…", cut);
        assertTrue(cut.length() <= 23);
    }

    @Test
    void excerptNeverSplitsSurrogatePairs() {
        String cut = MarkdownRenderer.excerpt("<p>" + "😀".repeat(10) + "</p>", 5);
        assertEquals("😀".repeat(4) + "…", cut);
    }

    @Test
    void nullAndEmptyInput() {
        assertEquals("", renderer.render(null));
        assertEquals("", renderer.render(""));
        assertEquals("", renderer.render(null, KNOWN).html());
        assertEquals("", renderer.toPlainText(null));
    }

    @Test
    void sanitizeEnforcesPolicyOnArbitraryHtml() {
        String out = MarkdownRenderer.sanitize("<a href=\"https://x.example\" target=\"_blank\" rel=\"opener\" title=\"t\">a</a>"
                + "<a title=\"no href\">b</a><img src=\"https://x.example/i.png\"><h1 style=\"x\">h</h1>");
        HtmlSafety.assertSafe(out);
        Document doc = Jsoup.parseBodyFragment(out);
        assertEquals(1, doc.select("a").size());
        assertEquals(MarkdownRenderer.LINK_REL, doc.selectFirst("a").attr("rel"));
        assertTrue(doc.select("img").isEmpty());
        assertEquals("b", doc.body().ownText().strip());
        assertFalse(doc.selectFirst("h1").hasAttr("style"));
    }

    @Test
    void isThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> renderer.render("# T" + n + "\n\nhi @alice [x](https://e.example/" + n + ")",
                        KNOWN).html()));
            }
            for (int i = 0; i < results.size(); i++) {
                String html = results.get(i).get();
                assertTrue(html.contains("<h3>T" + i + "</h3>"), html);
                assertTrue(html.contains("href=\"https://e.example/" + i + "\""), html);
                assertTrue(html.contains("/members/alice"), html);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- nesting (issue 13)

    /**
     * Renders on a thread with a 512 KiB stack (Vert.x's event loop threads have the JVM's default, 1 MiB on x64; half
     * of it makes the test independent of how deep the caller's own stack already is), as the app does.
     */
    private Throwable renderOnSmallStack(String markdown) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                renderer.render(markdown, KNOWN);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "render", 512 * 1024);
        thread.start();
        thread.join();
        return failure[0];
    }

    @Test
    void shouldRefuseEveryKindOfTooDeepNestingWithAMessageOnTheBodyInsteadOfOverflowingTheStack() throws Exception {
        java.util.Map<String, String> deep = new java.util.LinkedHashMap<>();
        deep.put("quotes without spaces", ">".repeat(2000));
        deep.put("quotes with spaces", "> ".repeat(3000) + "x");
        deep.put("bullet lists", "- ".repeat(3000) + "x");
        deep.put("ordered lists", "1. ".repeat(3000) + "x");
        deep.put("emphasis", "*".repeat(5000) + "x" + "*".repeat(5000));
        deep.put("strong emphasis with underscores", "_".repeat(5000) + "x" + "_".repeat(5000));
        deep.put("quotes and lists mixed", "> - ".repeat(2000) + "x");
        deep.put("emphasis opened one word at a time", "*x ".repeat(3000) + "y" + " x*".repeat(3000));
        for (var entry : deep.entrySet()) {
            Throwable failure = renderOnSmallStack(entry.getValue());
            assertTrue(failure instanceof org.roundtable.problem.DomainException, entry.getKey() + ": " + failure);
            org.roundtable.problem.DomainException refusal = (org.roundtable.problem.DomainException) failure;
            assertEquals(400, refusal.status(), entry.getKey());
            assertTrue(refusal.fieldErrors().get("body").contains("nests"), entry.getKey());
        }
    }

    @Test
    void shouldRenderTheNestingThatPeopleWrite() throws Exception {
        String twentyQuotes = "> ".repeat(20) + "still **here**";
        assertEquals(null, renderOnSmallStack(twentyQuotes));
        Document doc = html(twentyQuotes);
        assertEquals(20, doc.select("blockquote").size());
        assertEquals("here", doc.selectFirst("strong").text());
        String tenLists = "- ".repeat(10) + "deep";
        assertEquals(10, html(tenLists).select("ul").size());
        // A flat text of the full length is no nesting at all.
        assertEquals(null, renderOnSmallStack("word ".repeat(10_000)));
    }
}
