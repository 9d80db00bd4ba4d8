package org.roundtable.follow;

import static org.roundtable.security.Guardian.MEMBER_IS_ADMIN;
import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.problem.DomainException;

/**
 * A member's levels on threads, channels and tags (Discourse's TopicUser/CategoryUser): set by the member, or
 * {@code tracking} on a thread when they post in it under their name. Posting anonymously sets nothing: a follow row
 * would tie the member to the thread.
 */
@ApplicationScoped
public class FollowService {

    private final Database db;

    public FollowService(Database db) {
        this.db = db;
    }

    /**
     * SQL: thread {@code t} is muted for member {@code memberExpr} — muted itself, or in a muted channel or under a
     * muted tag without a level of its own. Lists use it to leave muted threads out of unread counts.
     * <p>
     * The member's muted threads, channels and tags (and, for the override, their threads with a level) are read
     * once per statement into arrays (uncorrelated sub-selects: PostgreSQL runs them once, as init plans), so the test
     * on each row is a look into a few small arrays, not an index scan of the member's follows: a channel header
     * counts over thousands of threads (docs/benchmarks.md). {@code memberExpr} must not depend on the row.
     */
    public static String muted(String t, String memberExpr) {
        String mine = "select %s from follow f where f.member_id = " + memberExpr + " and f.%s is not null";
        return "(" + t + ".id = any(array(" + mine.formatted("f.thread_id", "thread_id") + " and f.level = 'muted'))"
                + " or ((" + t + ".channel_id = any(array(" + mine.formatted("f.channel_id", "channel_id")
                + " and f.level = 'muted')) or coalesce(" + t + ".tags && array(" + mine.formatted("f.tag", "tag")
                + " and f.level = 'muted'), false))"
                + " and not " + t + ".id = any(array(" + mine.formatted("f.thread_id", "thread_id") + "))))";
    }

    /**
     * The set form of {@link #muted}, for counting a member's unread threads per channel without testing every thread
     * (the channel list and headers, channel/ChannelService; issue 21). Gives SQL for three materialized CTEs, each
     * {@code (channel_id, n)}, over the threads that pass {@code visible} and {@code unread} (SQL on thread {@code t} and
     * the member's read marker {@code tr}, left-joined here):
     * <ul>
     * <li>{@code muted_thread}: threads the member muted themselves;</li>
     * <li>{@code muted_tag}: threads with a tag the member muted and no level of their own for the thread (skipped,
     * by a one-time filter, when the member mutes no tag);</li>
     * <li>{@code kept}: threads the member gave a level other than muted (they stay in a muted channel).</li>
     * </ul>
     * Each is read from the member's own follows (and, for tags, the threads carrying them), so the cost follows the
     * member's follows, not the channel's size. {@link #unreadNotMuted} combines them. {@code memberExpr} must not
     * depend on the row. ChannelCountsTest checks the result against {@link #muted} over every thread.
     */
    public static String mutedUnreadSets(String visible, String unread, String memberExpr) {
        String marker = "left join thread_read tr on tr.thread_id = t.id and tr.member_id = " + memberExpr;
        String mutedTags = "array(select f.tag from follow f where f.member_id = " + memberExpr
                + " and f.tag is not null and f.level = 'muted')";
        return """
                muted_thread as materialized (
                    select t.channel_id, count(*) as n from follow f join thread t on t.id = f.thread_id %1$s
                    where f.member_id = %2$s and f.thread_id is not null and f.level = 'muted' and %3$s and %4$s
                    group by t.channel_id),
                kept as materialized (
                    select t.channel_id, count(*) as n from follow f join thread t on t.id = f.thread_id %1$s
                    where f.member_id = %2$s and f.thread_id is not null and f.level <> 'muted' and %3$s and %4$s
                    group by t.channel_id),
                muted_tag as materialized (
                    select t.channel_id, count(*) as n from thread t %1$s
                    where cardinality(%5$s) > 0 and t.tags && %5$s and %3$s and %4$s
                      and not exists (select 1 from follow f where f.member_id = %2$s and f.thread_id = t.id)
                    group by t.channel_id)""".formatted(marker, memberExpr, visible, unread, mutedTags);
    }

    /**
     * SQL: how many of channel {@code c}'s unread threads the member has not muted, given {@code unreadExpr}, the
     * channel's unread threads before muting (a count), and the CTEs of {@link #mutedUnreadSets}. In a channel the member
     * muted, only the unread threads they gave a level of their own; elsewhere, the unread threads less those muted by
     * thread or by tag. The same rule as {@link #muted}: a thread's own level beats its channel's and its tags'.
     */
    public static String unreadNotMuted(String c, String unreadExpr, String memberExpr) {
        return ("(case when %1$s.id = any(array(select f.channel_id from follow f where f.member_id = %2$s"
                + " and f.channel_id is not null and f.level = 'muted'))"
                + " then coalesce((select n from kept where kept.channel_id = %1$s.id), 0)"
                + " else %3$s - coalesce((select n from muted_thread where muted_thread.channel_id = %1$s.id), 0)"
                + " - coalesce((select n from muted_tag where muted_tag.channel_id = %1$s.id), 0) end)")
                .formatted(c, memberExpr, unreadExpr);
    }

    /**
     * SQL: the effective level of thread {@code t} for member {@code memberExpr} as a rank (0 muted, 1 normal,
     * 2 tracking, 3 watching): the thread's own level when set, else muted when its channel or a tag is muted, else the
     * strongest of its channel's and tags' levels.
     */
    public static String rank(String t, String memberExpr) {
        return "coalesce((select follow_rank(f.level) from follow f where f.member_id = " + memberExpr + " and f.thread_id = "
                + t + ".id), (select case when bool_or(f.level = 'muted') then 0 else max(follow_rank(f.level)) end from follow f "
                + "where f.member_id = " + memberExpr + " and (f.channel_id = " + t + ".channel_id or f.tag = any(" + t
                + ".tags))), 1)";
    }

    /**
     * The set form of {@link #rank}, for many members and threads at once (the digest's batch, digest/DigestBuilder):
     * SQL for two CTEs, {@code <name>_levels} and {@code <name>}, the latter {@code (member_id, thread_id, rank)} for
     * each pair of the CTE {@code pairs} {@code (member_id, thread_id)} that has a level that applies, from the CTE
     * {@code levels} {@code (member_id, thread_id, channel_id, tag, r)} of the members' follows ({@code r}:
     * {@code follow_rank(level)}). The same rule as {@link #rank}: the thread's own level when set, else muted (0) when
     * its channel or a tag is muted, else the strongest of its channel's and tags' levels; a pair without a row is
     * normal (1). Joined by hash, not looked up per row: a digest batch ranks thousands of candidate threads.
     */
    public static String ranks(String name, String pairs, String levels) {
        return """
                %1$s_levels as (
                    select p.member_id, p.thread_id, true as own, f.r
                    from %2$s p join %3$s f on f.member_id = p.member_id and f.thread_id = p.thread_id
                    union all
                    select p.member_id, p.thread_id, false, f.r
                    from %2$s p join thread t on t.id = p.thread_id
                    join %3$s f on f.member_id = p.member_id and f.channel_id = t.channel_id
                    union all
                    select p.member_id, p.thread_id, false, f.r
                    from %2$s p join thread t on t.id = p.thread_id cross join lateral unnest(t.tags) as tg(tag)
                    join %3$s f on f.member_id = p.member_id and f.tag = tg.tag
                ),
                %1$s as (
                    select member_id, thread_id,
                           coalesce(max(r) filter (where own), case when bool_or(r = 0) then 0 else max(r) end) as rank
                    from %1$s_levels group by member_id, thread_id
                )""".formatted(name, pairs, levels);
    }

    // ---------------------------------------------------------------- the member's own levels

    private static final String SET_THREAD = """
            insert into follow (member_id, thread_id, level, reason, updated_at)
            select #{viewer}, t.id, #{level}, 'member_changed', now()
            from thread t join channel c on c.id = t.channel_id
            where t.id = #{key} and %s and %s
            on conflict (member_id, thread_id) where thread_id is not null
            do update set level = excluded.level, reason = excluded.reason, updated_at = now()
            returning level
            """.formatted(visibleThread("t"), visibleChannel("c"));

    private static final String SET_CHANNEL = """
            insert into follow (member_id, channel_id, level, reason, updated_at)
            select #{viewer}, c.id, #{level}, 'member_changed', now()
            from channel c where c.slug = #{key} and %s
            on conflict (member_id, channel_id) where channel_id is not null
            do update set level = excluded.level, reason = excluded.reason, updated_at = now()
            returning level
            """.formatted(visibleChannel("c"));

    private static final String SET_TAG = """
            insert into follow (member_id, tag, level, reason, updated_at)
            values (#{viewer}, #{key}, #{level}, 'member_changed', now())
            on conflict (member_id, tag) where tag is not null
            do update set level = excluded.level, reason = excluded.reason, updated_at = now()
            returning level
            """;

    /** Sets the viewer's level; 404 when the thread or channel does not exist or is not visible to them. */
    public Uni<Level> set(Viewer viewer, Target target, Level level) {
        Guardian.requireCanWrite(viewer);
        String sql = switch (target.kind()) {
            case thread -> SET_THREAD;
            case channel -> SET_CHANNEL;
            case tag -> SET_TAG;
        };
        Object key = switch (target.kind()) {
            case thread -> target.threadId();
            case channel -> target.channelSlug();
            case tag -> target.tag();
        };
        return db.one(sql, Guardian.binds(viewer).and("level", level.name()).and("key", key),
                row -> Level.valueOf(row.getString("level")))
                .map(set -> Guardian.ensureFound(set, target.kind() == Target.Kind.thread ? "The thread" : "The channel"));
    }

    /** What a follow control shows: the name of the target and the viewer's level on it (normal when never set). */
    public record Current(Target target, String title, Level level) {

        public record Option(String value, String label, boolean selected) {
        }

        /** The choices of the follow control, the current one selected. */
        public List<Option> options() {
            return Arrays.stream(Level.values()).map(l -> new Option(l.name(), l.label, l == level)).toList();
        }

        /** Where the control's form posts: {@code /threads/7/follow}, {@code /channels/x/follow}, {@code /tags/y/follow}. */
        public String action() {
            return target.page() + "/follow";
        }
    }

    private static final String THREAD_LEVEL = """
            select t.title, f.level from thread t join channel c on c.id = t.channel_id
            left join follow f on f.member_id = #{viewer} and f.thread_id = t.id
            where t.id = #{key} and %s and %s
            """.formatted(visibleThread("t"), visibleChannel("c"));

    private static final String CHANNEL_LEVEL = """
            select c.name as title, f.level from channel c
            left join follow f on f.member_id = #{viewer} and f.channel_id = c.id
            where c.slug = #{key} and %s
            """.formatted(visibleChannel("c"));

    private static final String TAG_LEVEL = """
            select #{key}::text as title, (select f.level from follow f where f.member_id = #{viewer} and f.tag = #{key}) as level
            """;

    /** The viewer's level on a target; null when the thread or channel is not visible to them. */
    public Uni<Current> current(Viewer viewer, Target target) {
        String sql = switch (target.kind()) {
            case thread -> THREAD_LEVEL;
            case channel -> CHANNEL_LEVEL;
            case tag -> TAG_LEVEL;
        };
        Object key = switch (target.kind()) {
            case thread -> target.threadId();
            case channel -> target.channelSlug();
            case tag -> target.tag();
        };
        return db.one(sql, Guardian.binds(viewer).and("key", key), row -> new Current(target, row.getString("title"),
                row.getString("level") == null ? Level.normal : Level.valueOf(row.getString("level"))));
    }

    public record Follow(String kind, String key, String title, String level, String reason, OffsetDateTime updatedAt) {
    }

    /** Everything the viewer has a level on and may still see (a thread of a cohort they left is left out). */
    public Uni<List<Follow>> follows(Viewer viewer) {
        return db.list("""
                select 'thread' as kind, t.id::text as key, t.title, f.level, f.reason, f.updated_at
                from follow f join thread t on t.id = f.thread_id join channel c on c.id = t.channel_id
                where f.member_id = #{viewer} and %s and %s
                union all
                select 'channel', c.slug, c.name, f.level, f.reason, f.updated_at
                from follow f join channel c on c.id = f.channel_id
                where f.member_id = #{viewer} and %s
                union all
                select 'tag', f.tag, f.tag, f.level, f.reason, f.updated_at from follow f where f.member_id = #{viewer} and f.tag is not null
                order by 1, 3
                """.formatted(visibleThread("t"), visibleChannel("c"), visibleChannel("c")), Guardian.binds(viewer),
                row -> new Follow(row.getString("kind"), row.getString("key"), row.getString("title"), row.getString("level"),
                        row.getString("reason"), row.getOffsetDateTime("updated_at")));
    }

    // ---------------------------------------------------------------- in the writer's transaction

    /**
     * Posting under one's name sets tracking on the thread, unless the member already chose a level there (a muted
     * thread stays muted). Never called for anonymous posts.
     */
    public Uni<Void> trackAfterPosting(SqlConnection conn, long memberId, long threadId, String reason) {
        return db.execute(conn, """
                insert into follow (member_id, thread_id, level, reason) values ($1, $2, 'tracking', $3)
                on conflict (member_id, thread_id) where thread_id is not null do nothing
                """, Tuple.of(memberId, threadId, reason)).replaceWithVoid();
    }

    /**
     * Notifies the members watching a new thread's channel or tags ('new_thread'), or a thread a new post was written in
     * ('new_post'), when they may see it and have not muted it. Only for posts under a name: for an anonymous post,
     * leaving its author out of the fan-out would single them out, and including them would notify them of their own
     * post; watchers find anonymous posts in their digest instead.
     */
    public Uni<Void> notifyWatchers(SqlConnection conn, long threadId, long postId, boolean newThread, long writerId) {
        String watchers = newThread
                ? "select distinct f.member_id from follow f join thread t on t.id = $1 "
                        + "where f.level = 'watching' and (f.channel_id = t.channel_id or (f.tag is not null and f.tag = any(t.tags)))"
                : "select f.member_id from follow f where f.thread_id = $1 and f.level = 'watching'";
        return db.execute(conn, """
                insert into notification (member_id, kind, thread_id, post_id, actor_id)
                select m.id, $3, t.id, $2, $4
                from (%s) w join member m on m.id = w.member_id
                join thread t on t.id = $1 join channel c on c.id = t.channel_id
                where m.id <> $4 and %s and %s = 3
                """.formatted(watchers, visibleChannel("c", "m.id", MEMBER_IS_ADMIN), rank("t", "m.id")),
                Tuple.of(threadId, postId, newThread ? "new_thread" : "new_post", writerId)).replaceWithVoid();
    }
}
