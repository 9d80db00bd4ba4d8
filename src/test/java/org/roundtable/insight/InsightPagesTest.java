package org.roundtable.insight;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.db.Database;
import org.roundtable.security.Viewer;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/** The insight pages, CSV files and JSON as people get them, through a real login. */
@QuarkusTest
class InsightPagesTest {

    @Inject
    Pool pool;

    @Inject
    Database database;

    @Inject
    InsightService insights;

    @Inject
    InsightRefresh refresh;

    static String facilitator;
    static String member;
    static String outsider;
    static String networkFacilitator;

    String cohort;

    @BeforeEach
    void people() {
        if (facilitator == null) {
            facilitator = TestData.member("ifac");
            member = TestData.member("imem");
            outsider = TestData.member("iout");
            networkFacilitator = TestData.member("infac", "facilitator");
        }
        cohort = TestData.cohort(pool, facilitator, member);
        pool.preparedQuery("update member set last_seen_on = null where username = $1").execute(Tuple.of(member))
                .await().indefinitely();
    }

    private static Response page(String user, String path) {
        return given().redirects().follow(false).cookies(Sessions.cookies(user)).get(path);
    }

    private static Document html(Response response) {
        return Jsoup.parse(response.asString());
    }

    @Test
    void shouldShowTheCohortInsightToItsFacilitatorNetworkFacilitatorsAndAdminsOnly() {
        assertThat(page(facilitator, "/cohorts/" + cohort + "/insights").statusCode()).isEqualTo(200);
        assertThat(page(networkFacilitator, "/cohorts/" + cohort + "/insights").statusCode()).isEqualTo(200);
        assertThat(page(member, "/cohorts/" + cohort + "/insights").statusCode()).isEqualTo(403);
        assertThat(page(outsider, "/cohorts/" + cohort + "/insights").statusCode()).isEqualTo(404);
        assertThat(page(outsider, "/cohorts/no-such-cohort-" + cohort + "/insights").statusCode()).isEqualTo(404);
        assertThat(page(networkFacilitator, "/insights").statusCode()).isEqualTo(200);
        assertThat(page(facilitator, "/insights").statusCode()).isEqualTo(403);
        assertThat(page(member, "/insights").statusCode()).isEqualTo(403);

        given().auth().oauth2(Keycloak.token(member)).get("/api/cohorts/" + cohort + "/insights").then().statusCode(403);
        given().auth().oauth2(Keycloak.token(outsider)).get("/api/cohorts/" + cohort + "/insights").then().statusCode(404);
        given().auth().oauth2(Keycloak.token(facilitator)).get("/api/insights").then().statusCode(403);
        given().get("/api/insights").then().statusCode(401);
    }

    @Test
    void shouldDrawEachChartAsAnAccessibleSvgWithItsDataTableBesideIt() {
        Document doc = html(page(facilitator, "/cohorts/" + cohort + "/insights"));
        assertThat(doc.select("h1").text()).isEqualTo("Insight: Cohort " + cohort);
        assertThat(doc.select("script:not([src])")).isEmpty();
        var charts = doc.select("figure.chart");
        assertThat(charts).hasSize(6);
        for (Element chart : charts) {
            Element svg = chart.selectFirst("svg");
            assertThat(svg.attr("role")).isEqualTo("img");
            String[] labelledBy = svg.attr("aria-labelledby").split(" ");
            assertThat(svg.selectFirst("title#" + labelledBy[0]).text()).isNotBlank();
            assertThat(svg.selectFirst("desc#" + labelledBy[1]).text()).startsWith(svg.selectFirst("title").text());
            assertThat(svg.select("text.label")).hasSize(13);
            Element table = chart.selectFirst("table.chart-data");
            assertThat(table.select("caption").text()).isNotBlank();
            assertThat(table.select("tbody tr")).hasSize(13);
            assertThat(table.select("tbody tr th[scope=row]")).hasSize(13);
            assertThat(table.select("a.csv").attr("href")).endsWith(".csv");
        }
        // headings in order: one h1, then h2 sections, h3 only inside them
        List<Integer> levels = doc.select("main h1, main h2, main h3").stream()
                .map(h -> Integer.parseInt(h.tagName().substring(1))).toList();
        assertThat(levels.get(0)).isEqualTo(1);
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i) - levels.get(i - 1)).as("heading %d after %d", levels.get(i), levels.get(i - 1))
                    .isLessThanOrEqualTo(1);
        }
        // the facilitator gets the names of members with no visit (the member was never seen)
        assertThat(doc.select(".inactive-members li").eachAttr("data-username")).contains(member);
        // print: the stylesheet hides the navigation and the links for the screen
        String css = given().get("/static/roundtable.css").then().statusCode(200).extract().asString();
        assertThat(css).contains("@media print").contains(".no-print");
    }

    @Test
    void shouldGiveNoNamesToANetworkFacilitator() {
        Document doc = html(page(networkFacilitator, "/cohorts/" + cohort + "/insights"));
        assertThat(doc.select(".inactive-members")).isEmpty();
        assertThat(doc.select(".names-note").text()).contains("Only the cohort's own facilitators");
        assertThat(doc.select("section.insight-members .inactive-count").text()).isNotBlank();
    }

    @Test
    void shouldOfferEverySeriesAsCsv() {
        Document doc = html(page(facilitator, "/cohorts/" + cohort + "/insights"));
        var links = doc.select("a[download][href$=.csv]").eachAttr("href");
        assertThat(links).contains("/cohorts/" + cohort + "/insights/weekly.csv",
                "/cohorts/" + cohort + "/insights/new-threads.csv", "/cohorts/" + cohort + "/insights/channels.csv",
                "/cohorts/" + cohort + "/insights/unanswered.csv", "/cohorts/" + cohort + "/insights/inactive.csv");
        for (String link : Set.copyOf(links)) {
            Response csv = page(facilitator, link);
            assertThat(csv.statusCode()).as(link).isEqualTo(200);
            assertThat(csv.contentType()).as(link).startsWith("text/csv");
            assertThat(csv.header("Content-Disposition")).as(link).startsWith("attachment; filename=\"insights-");
        }
        String weekly = page(facilitator, "/cohorts/" + cohort + "/insights/weekly.csv").asString();
        assertThat(weekly.split("\r\n")).hasSize(14);
        assertThat(weekly).startsWith("week_start,week_end,so_far,new_threads,replies,reactions,active_members,");
        assertThat(page(member, "/cohorts/" + cohort + "/insights/weekly.csv").statusCode()).isEqualTo(403);
        assertThat(page(facilitator, "/cohorts/" + cohort + "/insights/nothing.csv").statusCode()).isEqualTo(404);
        assertThat(page(networkFacilitator, "/insights/cohorts.csv").asString()).contains(cohort);
    }

    @Test
    void shouldGiveTheSameFiguresAsJsonAsThePage() {
        long thread = TestData.threadWithTags(member, cohort, "=SUM(A1) a question", "Anyone?", "insight-json");
        Map<String, Object> json = given().auth().oauth2(Keycloak.token(facilitator))
                .get("/api/cohorts/" + cohort + "/insights").then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath().getMap("");
        List<Map<String, Object>> weeks = cast(json.get("weeks"));
        assertThat(weeks).hasSize(13);
        assertThat(weeks.stream().mapToInt(w -> (Integer) w.get("newThreads")).sum()).isEqualTo(1);
        assertThat(json.get("timeZone")).isEqualTo("UTC");
        Map<String, Object> unanswered = cast(json.get("unanswered"));
        assertThat(unanswered.get("count")).isEqualTo(1);
        List<Map<String, Object>> listed = cast(unanswered.get("listed"));
        assertThat(listed.get(0).get("link")).isEqualTo("/threads/" + thread);
        assertThat(cast(json.get("topTags")).toString()).contains("insight-json");

        Document doc = html(page(facilitator, "/cohorts/" + cohort + "/insights"));
        assertThat(doc.select("table.unanswered tr[data-thread=" + thread + "] a").attr("href")).isEqualTo("/threads/" + thread);
        assertThat(doc.select("#chart-new-threads table tbody td").eachText().stream()
                .mapToInt(Integer::parseInt).sum()).isEqualTo(1);
        assertThat(doc.select(".top-tags th").eachText()).contains("insight-json");
        // a title a spreadsheet would run as a formula is written as text
        assertThat(page(facilitator, "/cohorts/" + cohort + "/insights/unanswered.csv").asString())
                .contains(",'=SUM(A1) a question,");

        String openApi = given().get(org.roundtable.support.Management.url("/q/openapi"))
                .then().statusCode(200).extract().asString();
        assertThat(openApi).contains("/api/cohorts/{slug}/insights").contains("/api/insights");
    }

    @Test
    void shouldReadEachPageWithTheSameFixedNumberOfStatementsWhateverTheData() {
        given().auth().oauth2(Keycloak.token(facilitator)).get("/api/me").then().statusCode(200); // identity cached
        given().auth().oauth2(Keycloak.token(networkFacilitator)).get("/api/me").then().statusCode(200);
        long emptyCohort = statements(facilitator, "/api/cohorts/" + cohort + "/insights");
        long emptyNetwork = statements(networkFacilitator, "/api/insights");
        for (int i = 0; i < 6; i++) {
            long thread = TestData.threadWithTags(member, cohort, "Question " + i, "Body", "tag-" + i);
            TestData.reply(facilitator, thread, null, "An answer");
        }
        assertThat(statements(facilitator, "/api/cohorts/" + cohort + "/insights")).isEqualTo(emptyCohort).isEqualTo(5);
        assertThat(statements(networkFacilitator, "/api/insights")).isEqualTo(emptyNetwork).isEqualTo(4);
        // with the closed weeks precomputed, the same statements read them (and count the current week)
        assertThat(refresh.refresh(Instant.now()).await().indefinitely().weeks()).hasSize(12);
        try {
            assertThat(statements(facilitator, "/api/cohorts/" + cohort + "/insights")).isEqualTo(5);
            assertThat(statements(networkFacilitator, "/api/insights")).isEqualTo(4);
        } finally {
            pool.query("delete from insight_week").execute().await().indefinitely();
        }
        // the page adds the header's notification badge, and nothing else
        page(facilitator, "/me");
        long before = database.statementCount();
        page(facilitator, "/cohorts/" + cohort + "/insights").then().statusCode(200);
        long pageStatements = database.statementCount() - before;
        before = database.statementCount();
        page(facilitator, "/me").then().statusCode(200);
        long mePage = database.statementCount() - before;
        assertThat(pageStatements).isLessThanOrEqualTo(5 + mePage);
    }

    @Test
    void shouldChangeNoFigureButTheUndiscussablesCountsWhenAMemberPostsAnonymously() {
        String writer = TestData.member("ianon");
        String[] crowd = new String[8];
        for (int i = 0; i < crowd.length; i++) {
            crowd[i] = TestData.memberRow(pool, "icrowd");
        }
        String[] people = new String[crowd.length + 2];
        people[0] = writer;
        people[1] = facilitator;
        System.arraycopy(crowd, 0, people, 2, crowd.length);
        String undiscussables = TestData.cohortUndiscussables(pool, people);
        TestData.addToCohort(pool, undiscussables, "facilitator", facilitator);
        TestData.seatedLongAgo(pool, undiscussables);
        pool.preparedQuery("insert into channel (slug, name, kind, cohort_id) select $1 || '-n', 'Named', 'cohort', id from cohort where slug = $1")
                .execute(Tuple.of(undiscussables)).await().indefinitely();
        TestData.thread(writer, undiscussables + "-n", "A named question", "Under my name");

        Viewer fac = viewer(facilitator, Set.of("member"));
        Viewer network = viewer(networkFacilitator, Set.of("member", "facilitator"));
        // the page is asked at one moment after the anonymous post's hour, before and after it
        Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
        Insights cohortBefore = insights.cohort(fac, undiscussables, at).await().indefinitely();
        Insights networkBefore = insights.network(network, at).await().indefinitely();

        long anonymous = given().auth().oauth2(Keycloak.token(writer)).contentType(ContentType.JSON)
                .body(Map.of("title", "What I cannot say", "body", "Anonymously", "tags", List.of("secret-tag")))
                .post("/api/channels/" + undiscussables + "/threads").then().statusCode(201).extract().jsonPath().getLong("id");
        TestData.reply(writer, anonymous, null, "And a reply, anonymous too");
        assertThat(pool.preparedQuery("select count(*) from post where thread_id = $1 and author_id is null")
                .execute(Tuple.of(anonymous)).await().indefinitely().iterator().next().getLong(0)).isEqualTo(2);

        Insights cohortAfter = insights.cohort(fac, undiscussables, at).await().indefinitely();
        Insights networkAfter = insights.network(network, at).await().indefinitely();
        // nothing per member moves (members active, no visit and its names), nor any total, list or top ...
        assertThat(cohortAfter).isEqualTo(cohortBefore);
        assertThat(networkAfter.weeks()).isEqualTo(networkBefore.weeks());
        assertThat(networkAfter.inactive()).isEqualTo(networkBefore.inactive());
        assertThat(networkAfter.topTags()).isEqualTo(networkBefore.topTags());
        assertThat(networkAfter.unanswered()).isEqualTo(networkBefore.unanswered());
        assertThat(networkAfter.cohorts()).isEqualTo(networkBefore.cohorts());
        // ... and the undiscussables' week, with two posts, is "fewer than K" before and after
        assertThat(cohortAfter.channels()).filteredOn(c -> c.channel().equals(undiscussables)).singleElement()
                .satisfies(c -> assertThat(c.weeks()).allMatch(w -> w.fewerThanK() && w.posts() == null));
        assertThat(cohortAfter.weeks().stream().mapToInt(Insights.WeekFigures::activeMembers).sum()).isEqualTo(1);
    }

    private static Viewer viewer(String username, Set<String> roles) {
        return new Viewer(memberId(username), username, username, null, roles, null, null);
    }

    private static long memberId(String username) {
        return given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200).extract()
                .jsonPath().getLong("id");
    }

    private long statements(String user, String path) {
        given().auth().oauth2(Keycloak.token(user)).get("/api/me").then().statusCode(200); // identity cached
        long before = database.statementCount();
        given().auth().oauth2(Keycloak.token(user)).get(path).then().statusCode(200);
        return database.statementCount() - before;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
