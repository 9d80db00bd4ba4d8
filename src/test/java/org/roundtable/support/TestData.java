package org.roundtable.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Data a test makes for itself: unique names, through the real API where one exists. */
public final class TestData {

    private TestData() {
    }

    /** A new network channel (channel administration comes with cohorts; until then, SQL). */
    public static String networkChannel(Pool pool) {
        return channel(pool, "network");
    }

    public static String channel(Pool pool, String kind) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 12);
        pool.preparedQuery("insert into channel (slug, name, description, kind) values ($1, $2, $3, $4)")
                .execute(Tuple.of(slug, "Test " + slug, "A channel of a test", kind))
                .await().indefinitely();
        return slug;
    }

    /**
     * Makes sure the network has at least {@code n} members who make a crowd (seen today, members for a month), so
     * that its undiscussables take anonymous posts.
     */
    public static void networkOfAtLeast(Pool pool, int n) {
        pool.preparedQuery("""
                insert into member (subject, username, name, created_at, last_seen_on)
                select 'filler-' || g, 'filler-' || g, 'Filler member ' || g, now() - interval '30 days', current_date
                from generate_series(1, $1) g
                on conflict (subject) do update set created_at = excluded.created_at, last_seen_on = excluded.last_seen_on
                """).execute(Tuple.of(n)).await().indefinitely();
    }

    /** A cohort with the given members (usernames of members who exist) and its own undiscussables channel. */
    public static String cohortUndiscussables(Pool pool, String... usernames) {
        String slug = "c-" + UUID.randomUUID().toString().substring(0, 12);
        pool.preparedQuery("insert into cohort (slug, name) values ($1, $2)").execute(Tuple.of(slug, "Cohort " + slug))
                .await().indefinitely();
        pool.preparedQuery("""
                insert into cohort_member (cohort_id, member_id)
                select c.id, m.id from cohort c, member m where c.slug = $1 and m.username = any($2)
                """).execute(Tuple.of(slug, usernames)).await().indefinitely();
        pool.preparedQuery("""
                insert into channel (slug, name, kind, cohort_id) select $1, $2, 'undiscussables', id from cohort where slug = $1
                """).execute(Tuple.of(slug, "Undiscussables of " + slug)).await().indefinitely();
        return slug;
    }

    /**
     * Makes the members of a cohort a crowd: seen today, in the cohort for a month (the crowd counts members who use
     * Roundtable and have been in the audience for some days).
     */
    public static void seatedLongAgo(Pool pool, String cohort) {
        pool.preparedQuery("""
                with cm as (update cohort_member cm set joined_at = now() - interval '30 days' from cohort c
                            where c.id = cm.cohort_id and c.slug = $1 returning cm.member_id)
                update member m set last_seen_on = current_date from cm where m.id = cm.member_id
                """).execute(Tuple.of(cohort)).await().indefinitely();
    }

    /**
     * A member of the realm made for one test (password {@link Keycloak#PASSWORD}, email username@test.roundtable.test),
     * with their member row (made by a first request); returns the username.
     */
    public static String member(String prefix, String... realmRoles) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1), "Tester", realmRoles);
        given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200);
        return username;
    }

    /** A member row only (no Keycloak user): someone to list, add and remove. Returns the username. */
    public static String memberRow(Pool pool, String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        pool.preparedQuery("insert into member (subject, username, name, email) values ($1, $1, $2, $3)")
                .execute(Tuple.of(username, "Row " + username, username + "@rows.roundtable.test")).await().indefinitely();
        return username;
    }

    /** A cohort (through SQL) with a facilitator and members, and one cohort channel; returns its slug (= the channel's). */
    public static String cohort(Pool pool, String facilitator, String... members) {
        String slug = "c-" + UUID.randomUUID().toString().substring(0, 12);
        pool.preparedQuery("insert into cohort (slug, name, description) values ($1, $2, $3)")
                .execute(Tuple.of(slug, "Cohort " + slug, "The cohort of a test")).await().indefinitely();
        addToCohort(pool, slug, "facilitator", facilitator);
        addToCohort(pool, slug, "member", members);
        pool.preparedQuery("""
                insert into channel (slug, name, kind, cohort_id) select $1, $2, 'cohort', id from cohort where slug = $1
                """).execute(Tuple.of(slug, "Channel of " + slug)).await().indefinitely();
        return slug;
    }

    public static void addToCohort(Pool pool, String cohort, String role, String... usernames) {
        if (usernames.length == 0 || (usernames.length == 1 && usernames[0] == null)) {
            return;
        }
        pool.preparedQuery("""
                insert into cohort_member (cohort_id, member_id, role)
                select c.id, m.id, $3 from cohort c, member m where c.slug = $1 and m.username = any($2)
                on conflict (cohort_id, member_id) do update set role = excluded.role
                """).execute(Tuple.of(cohort, usernames, role)).await().indefinitely();
    }

    /** Starts a thread as the user; returns its id. */
    public static long thread(String username, String channel, String title, String body) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body, "tags", List.of()))
                .post("/api/channels/" + channel + "/threads")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Starts a thread with tags as the user; returns its id. */
    public static long threadWithTags(String username, String channel, String title, String body, String... tags) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body, "tags", List.of(tags)))
                .post("/api/channels/" + channel + "/threads")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Replies as the user, to the thread (replyTo null) or to a post; returns the post id. */
    public static long reply(String username, long thread, Long replyTo, String body) {
        Map<String, Object> json = new java.util.HashMap<>();
        json.put("body", body);
        json.put("replyTo", replyTo);
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON).body(json)
                .post("/api/threads/" + thread + "/posts")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long openingPost(String username, long thread) {
        return given().auth().oauth2(Keycloak.token(username)).get("/api/threads/" + thread)
                .then().statusCode(200).extract().jsonPath().getLong("posts[0].id");
    }
}
