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

    /** Starts a thread as the user; returns its id. */
    public static long thread(String username, String channel, String title, String body) {
        return given().auth().oauth2(Keycloak.token(username)).contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body, "tags", List.of()))
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
