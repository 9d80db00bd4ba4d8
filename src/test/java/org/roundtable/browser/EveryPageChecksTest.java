package org.roundtable.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.roundtable.security.SignedLinks;
import org.roundtable.support.Browser;
import org.roundtable.support.EveryPage;
import org.roundtable.support.EveryPage.Route;
import org.roundtable.support.Sessions;

/**
 * The checks of issue 19 over every page ({@link EveryPage}), as each role, in one sweep of the run's browser:
 * <ul>
 * <li>axe-core (WCAG 2.2 A and AA rules, 2.5.8 target size included) at 1280 and 390 px: no serious or critical
 * violation;</li>
 * <li>the Nu HTML Checker over the HTML each page was served with: no error;</li>
 * <li>at 390 and 320 px, no page is wider than the viewport (nothing scrolls sideways).</li>
 * </ul>
 * With {@code -Droundtable.screenshots=docs/screenshots} the sweep also writes the screenshots of the docs (main pages
 * at 1280 and 390 px; docs/development.md, "Screenshots").
 */
@QuarkusTest
class EveryPageChecksTest {

    static final int DESKTOP = 1280;
    static final int PHONE = 390;
    static final int SMALL_PHONE = 320;
    static final Set<String> BLOCKING = Set.of("serious", "critical");
    static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
    static final Path PROJECT = Path.of(System.getProperty("roundtable.project.dir", ".")).toAbsolutePath();
    static final Path OUT = PROJECT.resolve("target/page-checks");
    /** The pages of docs/screenshots, as the member sees them (and the review queue as its facilitator does). */
    static final Set<String> DOC_PAGES = Set.of("home", "cohort", "cohort-channel", "thread", "new-thread",
            "anonymous-thread", "notifications", "landing", "review", "audit");

    /** axe-core's script, as the axe-core Playwright package ships it. */
    static final String AXE = AxeBuilder.getAxeScript();

    @Inject
    Pool pool;

    @Inject
    SignedLinks links;

    /** What the sweep found: one line per problem, by kind. */
    record Findings(List<String> axe, List<String> wide, List<Path> html, int pages) {
    }

    private static Findings findings;

    @Test
    void shouldFindNoSeriousOrCriticalAccessibilityViolationOnAnyPageForAnyRoleAt1280And390Px() {
        Findings f = sweep();
        assertThat(f.pages()).as("pages checked").isGreaterThan(60);
        assertThat(f.axe()).as("axe-core violations (serious or critical) of WCAG 2.2 A/AA").isEmpty();
    }

    @Test
    void shouldKeepEveryPageWithinThePhoneViewportAt390And320Px() {
        Findings f = sweep();
        assertThat(f.wide()).as("pages wider than the viewport").isEmpty();
    }

    @Test
    void shouldServeEveryPageAsHtmlTheNuCheckerFindsNoErrorIn() throws Exception {
        Findings f = sweep();
        assertThat(f.html()).hasSizeGreaterThan(60);
        List<String> errors = vnu(f.html());
        assertThat(errors).as("errors of the Nu HTML Checker").isEmpty();
    }

    // ---------------------------------------------------------------- the sweep

    private synchronized Findings sweep() {
        if (findings == null) {
            try {
                findings = run();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return findings;
    }

    private Findings run() throws IOException {
        EveryPage.Fixture fixture = EveryPage.fixture(pool, links);
        List<Route> pages = EveryPage.pages(fixture);
        Path htmlDir = OUT.resolve("html");
        Files.createDirectories(htmlDir);
        Files.deleteIfExists(OUT.resolve("findings.txt"));
        try (var old = Files.list(htmlDir)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        String screenshots = System.getProperty("roundtable.screenshots");
        List<String> axe = new ArrayList<>();
        List<String> wide = new ArrayList<>();
        List<Path> html = new ArrayList<>();
        int count = 0;
        for (String role : EveryPage.ROLES) {
            Page page = Sessions.browser().newPage();
            try {
                page.setViewportSize(DESKTOP, 900);
                if (!role.equals("guest")) {
                    Browser.logIn(page, "/me", fixture.people().get(role));
                }
                for (Route route : pages) {
                    if (!route.roles().contains(role)) {
                        continue;
                    }
                    count++;
                    String where = role + " " + route.path();
                    page.setViewportSize(DESKTOP, 900);
                    Response response = page.navigate(route.path());
                    page.waitForLoadState();
                    assertThat(response).as(where).isNotNull();
                    assertThat(response.status()).as("status of " + where).isIn(200, 400, 404);
                    Path file = htmlDir.resolve((role + "-" + route.name()).replace(' ', '-') + ".html");
                    Files.writeString(file, response.text(), StandardCharsets.UTF_8);
                    html.add(file);
                    String shot = role.equals("guest") || role.equals("member")
                            || (role.equals("cohort facilitator") && Set.of("review", "audit").contains(route.name()))
                            ? route.name() : null;
                    if (screenshots != null && shot != null && DOC_PAGES.contains(shot)) {
                        screenshot(page, Path.of(screenshots), shot + "-1280");
                    }
                    axe(page, where + " at " + DESKTOP + " px", axe);
                    page.setViewportSize(PHONE, 844);
                    axe(page, where + " at " + PHONE + " px", axe);
                    width(page, where, PHONE, wide);
                    if (screenshots != null && shot != null && DOC_PAGES.contains(shot)) {
                        screenshot(page, Path.of(screenshots), shot + "-390");
                    }
                    page.setViewportSize(SMALL_PHONE, 640);
                    width(page, where, SMALL_PHONE, wide);
                }
            } finally {
                page.context().close();
            }
        }
        return new Findings(axe, wide, html, count);
    }

    /**
     * Runs axe-core in the page (injected once per page load: a resize keeps it), WCAG A/AA rules only, violations
     * only; adds one line per serious or critical violation at one element.
     */
    @SuppressWarnings("unchecked")
    private static void axe(Page page, String where, List<String> found) {
        if (!Boolean.TRUE.equals(page.evaluate("() => typeof window.axe !== 'undefined'"))) {
            page.evaluate(AXE);
        }
        List<String> lines = (List<String>) page.evaluate("""
                async (tags) => {
                  const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
                  const out = [];
                  for (const v of r.violations) {
                    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
                    for (const n of v.nodes) {
                      out.push(v.id + ' (' + v.impact + ') ' + JSON.stringify(n.target) + ' ' + n.html.replace(/\\s+/g, ' ').slice(0, 160)
                        + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240));
                    }
                  }
                  return out;
                }""", WCAG);
        for (String line : lines) {
            report(where + ": " + line, found);
        }
    }

    /** A finding, kept for the assertion and written at once to target/page-checks/findings.txt (a long sweep). */
    private static void report(String line, List<String> found) {
        found.add(line);
        try {
            Files.writeString(OUT.resolve("findings.txt"), line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void width(Page page, String where, int viewport, List<String> found) {
        Number scrollWidth = (Number) page.evaluate("() => document.documentElement.scrollWidth");
        Number innerWidth = (Number) page.evaluate("() => window.innerWidth");
        assertThat(innerWidth.intValue()).isEqualTo(viewport);
        if (scrollWidth.intValue() > innerWidth.intValue()) {
            String widest = (String) page.evaluate("() => { let w = null; for (const e of document.querySelectorAll('body *')) {"
                    + " const r = e.getBoundingClientRect(); if (r.right > window.innerWidth + 1 && (!w || r.right > w.r))"
                    + " w = { r: r.right, d: e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '') }; }"
                    + " return w ? w.d + ' ends at ' + Math.round(w.r) : 'unknown'; }");
            report(where + " at " + viewport + " px is " + scrollWidth + " px wide (" + widest + ")", found);
            Browser.screenshot(page, "wide-" + where.replaceAll("[^a-z0-9]+", "-") + "-" + viewport);
        }
    }

    private static void screenshot(Page page, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(false));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }

    // ---------------------------------------------------------------- the Nu HTML Checker

    /** Runs vnu (in a JVM of its own) over the files; returns its errors, one line each. */
    private static List<String> vnu(List<Path> files) throws Exception {
        Path lib = vnuJars();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", lib + "/*", "nu.validator.client.SimpleCommandLineValidator", "--errors-only", "--format", "json",
                "--stdout"));
        files.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("vnu ended").isTrue();
        JsonNode messages = new ObjectMapper().readTree(out).path("messages");
        List<String> errors = new ArrayList<>();
        for (JsonNode m : messages) {
            if (!"error".equals(m.path("type").asText()) && !"non-document-error".equals(m.path("type").asText())) {
                continue;
            }
            String url = m.path("url").asText();
            errors.add(url.substring(url.lastIndexOf('/') + 1) + ":" + m.path("lastLine").asText() + ": "
                    + m.path("message").asText() + " — " + abbreviate(m.path("extract").asText()));
        }
        return errors;
    }

    /** The checker's jars in target/vnu, fetched through Maven (src/test/vnu/pom.xml) on first use. */
    private static Path vnuJars() throws Exception {
        String version = System.getProperty("roundtable.vnu.version", "26.5.2");
        Path lib = PROJECT.resolve("target/vnu");
        if (Files.exists(lib.resolve("validator-" + version + ".jar"))) {
            return lib;
        }
        Process process = new ProcessBuilder(PROJECT.resolve("mvnw").toString(), "-B", "-q", "-f",
                PROJECT.resolve("src/test/vnu/pom.xml").toString(), "dependency:copy-dependencies",
                "-Dvnu.version=" + version, "-DoutputDirectory=" + lib)
                .directory(PROJECT.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES) && process.exitValue() == 0)
                .as("fetching the Nu HTML Checker " + version + " through Maven: " + out).isTrue();
        return lib;
    }

    static String lines(List<String> lines) {
        return lines.stream().collect(Collectors.joining("\n"));
    }
}
