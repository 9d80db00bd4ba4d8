package org.roundtable.channel;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.TestData;

/**
 * The channel list's and headers' counts (threads, unread) come from a count kept on the channel row and from the
 * viewer's own rows (ChannelService, migration V20; issue 21). They must show what counting every thread shows: each
 * test compares the API's figures with that count, done here in SQL the way the list counted before, and with the
 * figures worked out by hand.
 */
@QuarkusTest
class ChannelCountsTest {

    @Inject
    Pool pool;

    @Inject
    org.roundtable.db.Database database;

    /** The reference: every visible thread of the channel counted, as ChannelService did before V20. */
    private static final String REFERENCE = """
            select count(t.id) as threads,
                   count(t.id) filter (where c.kind <> 'undiscussables'
                       and coalesce(t.last_shown_number, t.post_count) > coalesce(tr.last_read_number, 0)
                       and not (t.id = any(array(select f.thread_id from follow f where f.member_id = m.id
                                                 and f.thread_id is not null and f.level = 'muted'))
                                or ((t.channel_id = any(array(select f.channel_id from follow f where f.member_id = m.id
                                                              and f.channel_id is not null and f.level = 'muted'))
                                     or coalesce(t.tags && array(select f.tag from follow f where f.member_id = m.id
                                                                 and f.tag is not null and f.level = 'muted'), false))
                                    and not t.id = any(array(select f.thread_id from follow f where f.member_id = m.id
                                                             and f.thread_id is not null))))) as unread
            from channel c
            join member m on m.username = $2
            left join thread t on t.channel_id = c.id and t.deleted_at is null and t.hidden_at is null
            left join thread_read tr on tr.thread_id = t.id and tr.member_id = m.id
            where c.slug = $1
            """;

    @Test
    void shouldCountThreadsAndUnreadAsCountingEveryThreadDoesWhateverWasReadRemovedMovedOrMuted() {
        String ann = member("ann");
        String carmen = member("carmen");
        String a = TestData.networkChannel(pool);
        String b = TestData.networkChannel(pool);
        long read = TestData.thread("bob", a, "Read to the end", "Opening");
        long readThenNew = TestData.thread("bob", a, "Read, then a new reply", "Opening");
        long hidden = TestData.thread("bob", a, "Hidden by a facilitator", "Opening");
        long restored = TestData.thread("bob", a, "Deleted and restored", "Opening");
        long mutedThread = TestData.thread("bob", a, "Muted by ann", "Opening");
        long mutedTag = TestData.threadWithTags("bob", a, "Tagged noise", "Opening", "noise");
        long mutedTagButWatched = TestData.threadWithTags("bob", a, "Tagged noise, watched", "Opening", "noise");
        long moved = TestData.thread("bob", a, "Moved to b", "Opening");
        long nothingShown = TestData.thread("bob", a, "Every post held", "Opening");
        long plain = TestData.thread("bob", a, "Never opened", "Opening");
        long kept = TestData.thread("bob", b, "Tracked in a muted channel", "Opening");

        as(ann).get("/api/threads/" + read).then().statusCode(200);
        as(ann).get("/api/threads/" + readThenNew).then().statusCode(200);
        TestData.reply("bob", readThenNew, null, "Something new");
        sql("update thread set hidden_at = now() where id = $1", hidden);
        sql("update thread set deleted_at = now() where id = $1", restored);
        sql("update thread set deleted_at = null where id = $1", restored);
        as(ann).body(Map.of("level", "muted")).put("/api/threads/" + mutedThread + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "muted")).put("/api/tags/noise/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "watching")).put("/api/threads/" + mutedTagButWatched + "/follow").then().statusCode(200);
        sql("update thread set channel_id = (select id from channel where slug = '" + b + "') where id = $1", moved);
        sql("update post set held = true where thread_id = $1", nothingShown);
        as(ann).body(Map.of("level", "muted")).put("/api/channels/" + b + "/follow").then().statusCode(200);
        as(ann).body(Map.of("level", "tracking")).put("/api/threads/" + kept + "/follow").then().statusCode(200);
        assertThat(plain).isPositive();

        // by hand: a holds read, readThenNew, restored, mutedThread, mutedTag, mutedTagButWatched, nothingShown, plain
        // (hidden is removed, moved is in b); ann has not seen readThenNew's reply, restored, mutedTagButWatched (her
        // own level beats the muted tag) and plain; b is muted but for the thread she tracks there.
        assertThat(counts(ann, a)).containsExactly(8, 4);
        assertThat(counts(ann, b)).containsExactly(2, 1);
        // carmen opened nothing and muted nothing: all unread but the one that shows nothing
        assertThat(counts(carmen, a)).containsExactly(8, 7);
        assertThat(counts(carmen, b)).containsExactly(2, 2);
        for (String viewer : List.of(ann, carmen, "bob")) {
            for (String channel : List.of(a, b)) {
                assertThat(counts(viewer, channel)).as(viewer + " in " + channel).isEqualTo(reference(viewer, channel));
                // the header of one channel (the thread list's channel, counted for that channel only) says the same
                assertThat(header(viewer, channel)).as(viewer + "'s header of " + channel)
                        .isEqualTo(reference(viewer, channel));
            }
        }
        assertThat(header(ann, a)).containsExactly(8, 4);
        assertThat(header(ann, b)).containsExactly(2, 1);

        // and the kept count follows what comes back: the hidden thread shown again, the held posts published
        sql("update thread set hidden_at = null where id = $1", hidden);
        sql("update post set held = false where thread_id = $1", nothingShown);
        assertThat(counts(carmen, a)).containsExactly(9, 9).isEqualTo(reference(carmen, a));
        assertThat(counts(ann, a)).isEqualTo(reference(ann, a));
        assertThat(header(carmen, a)).containsExactly(9, 9);
        assertThat(header(ann, a)).isEqualTo(reference(ann, a));
    }

    /**
     * A channel header counts one channel's rows, not the viewer's rows of every channel grouped (issue 21): what the
     * viewer read, muted or tracks in other channels changes nothing in this one's header, and this one's own rows
     * still count. The one-channel statement and the list's share their rules; this compares them on a viewer whose
     * rows lie in several channels, one of them with nothing shown, and a thread she read moved from one to the other.
     */
    @Test
    void shouldCountOneChannelsHeaderFromThatChannelsRowsAloneWhateverTheViewerDidElsewhere() {
        String dana = member("dana");
        String here = TestData.networkChannel(pool);
        String elsewhere = TestData.networkChannel(pool);
        long readHere = TestData.thread("bob", here, "Read here", "Opening");
        long unreadHere = TestData.thread("bob", here, "Unread here", "Opening");
        long mutedHere = TestData.thread("bob", here, "Muted here", "Opening");
        long readElsewhere = TestData.thread("bob", elsewhere, "Read elsewhere", "Opening");
        long mutedElsewhere = TestData.thread("bob", elsewhere, "Muted elsewhere", "Opening");
        long blankElsewhere = TestData.thread("bob", elsewhere, "Nothing shown elsewhere", "Opening");
        TestData.thread("bob", elsewhere, "Unread elsewhere", "Opening");
        long readThenMoved = TestData.thread("bob", here, "Read here, then moved elsewhere", "Opening");
        as(dana).get("/api/threads/" + readHere).then().statusCode(200);
        as(dana).get("/api/threads/" + readElsewhere).then().statusCode(200);
        as(dana).get("/api/threads/" + readThenMoved).then().statusCode(200);
        // her read marker goes with the thread (migration V25): read here, then counted as read elsewhere
        sql("update thread set channel_id = (select id from channel where slug = '" + elsewhere + "') where id = $1",
                readThenMoved);
        as(dana).body(Map.of("level", "muted")).put("/api/threads/" + mutedHere + "/follow").then().statusCode(200);
        as(dana).body(Map.of("level", "muted")).put("/api/threads/" + mutedElsewhere + "/follow").then().statusCode(200);
        sql("update post set held = true where thread_id = $1", blankElsewhere);
        assertThat(unreadHere).isPositive();

        // here: three threads; dana read one and muted one: one unread
        assertThat(header(dana, here)).containsExactly(3, 1).isEqualTo(reference(dana, here)).isEqualTo(counts(dana, here));
        // elsewhere: five threads, two read (one moved in), one muted, one showing nothing: one unread
        assertThat(header(dana, elsewhere)).containsExactly(5, 1).isEqualTo(reference(dana, elsewhere))
                .isEqualTo(counts(dana, elsewhere));
    }

    /**
     * The channel page is a few statements, each kept prepared (the one-channel header is a statement of its own, not
     * the list's): the session, the header, the page of threads, the viewer's level on the channel, the notification
     * count. Counted on the second view, with the session and the statements in place.
     */
    @Test
    void shouldServeTheChannelPageWithFiveStatementsAllKeptPrepared() {
        String channel = TestData.networkChannel(pool);
        TestData.thread("bob", channel, "Something to list", "Opening");
        org.roundtable.support.Pages.get("carmen", "/channels/" + channel).then().statusCode(200);
        long before = database.statementCount();
        long uncachedBefore = database.uncachedStatementCount();
        org.roundtable.support.Pages.get("carmen", "/channels/" + channel).then().statusCode(200);
        assertThat(database.statementCount() - before).isLessThanOrEqualTo(5);
        assertThat(database.uncachedStatementCount() - uncachedBefore).isZero();
    }

    @Test
    void shouldKeepTheCountExactWhenTwoTransactionsAddThreadsToOneChannelAtOnce() {
        String channel = TestData.networkChannel(pool);
        long channelId = pool.preparedQuery("select id from channel where slug = $1").execute(Tuple.of(channel))
                .await().indefinitely().iterator().next().getLong(0);
        String insert = "insert into thread (channel_id, title) values ($1, 'Added at once')";
        SqlConnection first = pool.getConnection().await().indefinitely();
        SqlConnection second = pool.getConnection().await().indefinitely();
        try {
            Transaction one = first.begin().await().indefinitely();
            Transaction two = second.begin().await().indefinitely();
            // both read the count as it was before either added a thread
            assertThat(kept(first, channelId)).isZero();
            assertThat(kept(second, channelId)).isZero();
            first.preparedQuery(insert).execute(Tuple.of(channelId)).await().indefinitely();
            // the second waits for the first's row lock on the channel, then adds to what the first committed
            var secondInsert = second.preparedQuery(insert).execute(Tuple.of(channelId)).subscribeAsCompletionStage();
            one.commit().await().indefinitely();
            secondInsert.join();
            two.commit().await().indefinitely();
        } finally {
            first.close().await().indefinitely();
            second.close().await().indefinitely();
        }
        assertThat(kept(pool, channelId)).isEqualTo(2);
        assertThat(as("bob").get("/api/channels").then().statusCode(200).extract().jsonPath()
                .getInt("find { it.slug == '" + channel + "' }.threadCount")).isEqualTo(2);
    }

    private static int kept(io.vertx.mutiny.sqlclient.SqlClient client, long channelId) {
        return client.preparedQuery("select thread_count from channel where id = $1").execute(Tuple.of(channelId))
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getInteger(0);
    }

    private List<Integer> counts(String viewer, String channel) {
        JsonPath channels = as(viewer).get("/api/channels").then().statusCode(200).extract().jsonPath();
        return List.of(channels.getInt("find { it.slug == '" + channel + "' }.threadCount"),
                channels.getInt("find { it.slug == '" + channel + "' }.unreadCount"));
    }

    /** The counts in one channel's header (ChannelService.channel, the thread list's channel). */
    private static List<Integer> header(String viewer, String channel) {
        JsonPath header = as(viewer).get("/api/channels/" + channel + "/threads").then().statusCode(200).extract().jsonPath();
        return List.of(header.getInt("channel.threadCount"), header.getInt("channel.unreadCount"));
    }

    private List<Integer> reference(String viewer, String channel) {
        var row = pool.preparedQuery(REFERENCE).execute(Tuple.of(channel, viewer)).await().indefinitely().iterator().next();
        return List.of(row.getLong("threads").intValue(), row.getLong("unread").intValue());
    }

    private void sql(String sql, long id) {
        pool.preparedQuery(sql).execute(Tuple.of(id)).await().indefinitely();
    }

    private static String member(String prefix) {
        String username = Keycloak.uniqueUsername(prefix);
        Keycloak.createUser(username, prefix, "Reader");
        given().auth().oauth2(Keycloak.token(username)).get("/api/me").then().statusCode(200);
        return username;
    }

    private static io.restassured.specification.RequestSpecification as(String user) {
        return given().auth().oauth2(Keycloak.token(user)).contentType(ContentType.JSON);
    }
}
