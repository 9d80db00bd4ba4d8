package org.roundtable.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.roundtable.digest.DigestMail;
import org.roundtable.security.SignedLinks;

/**
 * "Every page" of the app, as each role sees it, with real data: the one list that the page checks (axe-core, the Nu
 * HTML Checker, the width of the page at 390 and 320 px) and the screenshots of docs/screenshots go through. A page
 * added to the app gets a line in {@link #pages()}.
 *
 * <p>The data is made once per run: a cohort (Riverside district network) with a facilitator and members, its channel
 * and its undiscussables, a network channel, threads with replies, an edited post, a flag, a hidden reply with its
 * reason (so notifications, the review queue and the audit log have something to show), an anonymous thread, a tag,
 * an invitation link and signed unsubscribe links.
 */
public final class EveryPage {

    /** The roles the checks log in as (guest: no login). */
    public static final List<String> ROLES = List.of("guest", "member", "cohort facilitator", "network facilitator", "admin");

    /** One page: its path, a short name (for reports and screenshot files) and the roles that may open it. */
    public record Route(String name, String path, Set<String> roles) {
    }

    /** The people (usernames by role) and the data of the run. */
    public record Fixture(Map<String, String> people, String cohort, String cohortChannel, String undiscussables,
            String network, long cohortThread, long networkThread, long anonymousThread, long memberPost,
            long facilitatorPost, String tag, String joinLink, String digestUnsubscribe, String mentionUnsubscribe) {
    }

    private static Fixture fixture;

    private EveryPage() {
    }

    /** The data, made on first use (one per run). */
    public static synchronized Fixture fixture(Pool pool, SignedLinks links) {
        if (fixture == null) {
            fixture = make(pool, links);
        }
        return fixture;
    }

    /** Every page, with the roles that may open it (a role that would get 403 or 404 is left out). */
    public static List<Route> pages(Fixture f) {
        Set<String> everyone = Set.of("member", "cohort facilitator", "network facilitator", "admin");
        Set<String> cohort = Set.of("member", "cohort facilitator", "admin");
        Set<String> moderators = Set.of("cohort facilitator", "network facilitator", "admin");
        Set<String> cohortModerators = Set.of("cohort facilitator", "admin");
        List<Route> pages = new ArrayList<>();
        pages.add(new Route("landing", "/", Set.of("guest")));
        pages.add(new Route("digest-unsubscribe", "/digest/unsubscribe?token=" + f.digestUnsubscribe(), Set.of("guest")));
        pages.add(new Route("mention-unsubscribe", "/mentions/unsubscribe?token=" + f.mentionUnsubscribe(), Set.of("guest")));
        pages.add(new Route("broken-unsubscribe", "/digest/unsubscribe?token=broken", Set.of("guest")));
        pages.add(new Route("home", "/", everyone));
        pages.add(new Route("me", "/me", everyone));
        pages.add(new Route("members", "/members", everyone));
        pages.add(new Route("member", "/members/" + f.people().get("member"), everyone));
        pages.add(new Route("suspended-member", "/members/" + f.people().get("suspended member"), Set.of("member", "admin")));
        pages.add(new Route("cohorts", "/cohorts", everyone));
        pages.add(new Route("cohort", "/cohorts/" + f.cohort(), cohort));
        pages.add(new Route("join", f.joinLink(), everyone));
        pages.add(new Route("channels", "/channels", everyone));
        pages.add(new Route("network-channel", "/channels/" + f.network(), everyone));
        pages.add(new Route("cohort-channel", "/channels/" + f.cohortChannel(), cohort));
        pages.add(new Route("undiscussables", "/channels/" + f.undiscussables(), cohort));
        pages.add(new Route("new-thread", "/channels/" + f.cohortChannel() + "/new", cohort));
        pages.add(new Route("new-anonymous-thread", "/channels/" + f.undiscussables() + "/new", cohort));
        pages.add(new Route("thread", "/threads/" + f.cohortThread(), cohort));
        pages.add(new Route("network-thread", "/threads/" + f.networkThread(), everyone));
        pages.add(new Route("anonymous-thread", "/threads/" + f.anonymousThread(), cohort));
        pages.add(new Route("reply", "/threads/" + f.cohortThread() + "/reply?to=" + f.facilitatorPost(), cohort));
        pages.add(new Route("revisions", "/posts/" + f.memberPost() + "/revisions", cohort));
        pages.add(new Route("edit", "/posts/" + f.memberPost() + "/edit", Set.of("member")));
        pages.add(new Route("flag", "/posts/" + f.facilitatorPost() + "/flag", Set.of("member", "admin")));
        pages.add(new Route("move", "/threads/" + f.cohortThread() + "/move", cohortModerators));
        pages.add(new Route("network-move", "/threads/" + f.networkThread() + "/move", Set.of("network facilitator")));
        pages.add(new Route("review", "/review", moderators));
        pages.add(new Route("audit", "/audit", moderators));
        pages.add(new Route("notifications", "/notifications", everyone));
        pages.add(new Route("preferences", "/preferences", everyone));
        pages.add(new Route("tag", "/tags/" + f.tag(), everyone));
        pages.add(new Route("tags", "/tags", everyone));
        pages.add(new Route("following", "/following", everyone));
        pages.add(new Route("search-tips", "/search", everyone));
        pages.add(new Route("search", "/search?q=%23" + f.tag(), everyone));
        pages.add(new Route("cohort-insights", "/cohorts/" + f.cohort() + "/insights", moderators));
        pages.add(new Route("insights", "/insights", Set.of("network facilitator", "admin")));
        pages.add(new Route("not-found", "/threads/999999999", everyone));
        return pages;
    }

    private static Fixture make(Pool pool, SignedLinks links) {
        Map<String, String> people = new LinkedHashMap<>();
        people.put("member", TestData.member("maria"));
        people.put("cohort facilitator", TestData.member("farah"));
        people.put("network facilitator", TestData.member("nadia", "facilitator"));
        people.put("admin", TestData.member("adrian", "admin"));
        String member = people.get("member");
        String facilitator = people.get("cohort facilitator");
        String second = TestData.member("sam");

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String cohort = "riverside-" + suffix;
        sql(pool, "insert into cohort (slug, name, description) values ($1, 'Riverside district network', "
                + "'Principals of the Riverside district, with their network facilitator.')", cohort);
        TestData.addToCohort(pool, cohort, "facilitator", facilitator);
        TestData.addToCohort(pool, cohort, "member", member, second);
        String cohortChannel = cohort + "-talk";
        sql(pool, "insert into channel (slug, name, description, kind, cohort_id) select $1, 'Riverside staff room', "
                + "'Questions for the cohort', 'cohort', id from cohort where slug = $2", cohortChannel, cohort);
        String undiscussables = cohort + "-u";
        sql(pool, "insert into channel (slug, name, kind, cohort_id) select $1, 'Riverside undiscussables', "
                + "'undiscussables', id from cohort where slug = $2", undiscussables, cohort);
        String network = "budgets-" + suffix;
        sql(pool, "insert into channel (slug, name, description, kind) values ($1, 'Budgets and staffing', "
                + "'Every member of the network reads this channel', 'network')", network);

        String tag = "scheduling-" + suffix.substring(0, 4);
        long cohortThread = TestData.threadWithTags(member, cohortChannel, "How do you schedule teacher observations?",
                "We have **12 teachers** and two leaders. How do you fit observations into a week?\n\n"
                        + "| day | slots |\n|---|---|\n| Monday | 2 |\n| Tuesday | 3 |\n", tag);
        long facilitatorPost = TestData.reply(facilitator, cohortThread, null,
                "We block Tuesday mornings for it. @" + member + " happy to share our rota.");
        long memberPost = TestData.reply(member, cohortThread, facilitatorPost, "Thank you, that helps.");
        given().auth().oauth2(Keycloak.token(member)).contentType(ContentType.JSON)
                .body(Map.of("body", "Thank you, that helps a lot.", "version", 1))
                .patch("/api/posts/" + memberPost).then().statusCode(200);
        long hidden = TestData.reply(second, cohortThread, null, "An off-topic aside.");
        given().auth().oauth2(Keycloak.token(facilitator)).contentType(ContentType.JSON)
                .body(Map.of("reason", "Off topic for this thread")).put("/api/posts/" + hidden + "/hidden")
                .then().statusCode(204);
        // A post of the member's that a facilitator hides: the member is told, with the reason (their notifications).
        long told = TestData.reply(member, cohortThread, null, "A reply the facilitator hides.");
        given().auth().oauth2(Keycloak.token(facilitator)).contentType(ContentType.JSON)
                .body(Map.of("reason", "It names a pupil")).put("/api/posts/" + told + "/hidden")
                .then().statusCode(204);
        long flagged = TestData.reply(second, cohortThread, null, "A reply that someone flags.");
        given().auth().oauth2(Keycloak.token(member)).contentType(ContentType.JSON)
                .body(Map.of("reason", "off-topic")).post("/api/posts/" + flagged + "/flags").then().statusCode(201);

        long networkThread = TestData.thread(second, network, "Sharing a budget template",
                "Here is the template we use for the yearly budget. Comments welcome.");
        TestData.reply(member, networkThread, null, "Thanks for sharing.");

        long anonymousThread = pool.preparedQuery("""
                insert into thread (channel_id, title, author_pseudonym, post_count)
                select id, 'A staff member I cannot reach', $2, 1 from channel where slug = $1 returning id
                """).execute(Tuple.of(undiscussables, pseudonym())).await().indefinitely().iterator().next().getLong("id");
        sql(pool, "insert into post (thread_id, number, path, pseudonym, source, html) values ($1, 1, '{}', $2, $3, $4)",
                anonymousThread, pseudonym(), "How do I start the conversation?", "<p>How do I start the conversation?</p>");

        // The second member is suspended (after writing): the profile shows an admin until when and why.
        long secondId = pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(second))
                .await().indefinitely().iterator().next().getLong(0);
        given().auth().oauth2(Keycloak.token(people.get("admin"))).contentType(ContentType.JSON)
                .body(Map.of("until", java.time.OffsetDateTime.now().plusDays(30).toString(), "reason", "Repeated personal attacks"))
                .put("/api/members/" + secondId + "/suspension").then().statusCode(204);
        people.put("suspended member", second);

        var made = given().auth().oauth2(Keycloak.token(people.get("admin"))).contentType(ContentType.JSON)
                .body(Map.of()).post("/api/cohorts/" + cohort + "/invitations").then().statusCode(201).extract().jsonPath();
        String link = made.getString("link");
        String joinLink = link.substring(link.indexOf("/cohorts/"));

        long memberId = pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(member))
                .await().indefinitely().iterator().next().getLong(0);
        String digest = links.sign(DigestMail.UNSUBSCRIBE, Map.<String, Object>of("sub", String.valueOf(memberId)), Duration.ofDays(1));
        String mention = links.sign(DigestMail.MENTION_UNSUBSCRIBE, Map.<String, Object>of("sub", String.valueOf(memberId)), Duration.ofDays(1));
        return new Fixture(people, cohort, cohortChannel, undiscussables, network, cohortThread, networkThread,
                anonymousThread, memberPost, facilitatorPost, tag, joinLink, digest, mention);
    }

    /** The token of a link, decoded (for tests that post it themselves). */
    public static String token(String link) {
        return URLDecoder.decode(link.substring(link.indexOf("token=") + 6), StandardCharsets.UTF_8);
    }

    private static String pseudonym() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void sql(Pool pool, String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }
}
