package org.roundtable.ratelimit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.anonymity.AnonymousCounters;
import org.roundtable.db.Database;
import org.roundtable.security.Viewer;
import org.roundtable.problem.DomainException;

/**
 * Rate limits: one statement per named action counts it in every window it belongs to and answers the counts; over a
 * limit the transaction fails with 429 and Retry-After, so nothing is saved (and forms keep the text). Anonymous posts
 * are counted under keyed slots that name nobody and split nothing by author ({@link AnonymousCounters}): so many an
 * hour, and for new members the new threads of the day, which named and anonymous threads share.
 */
@ApplicationScoped
public class RateLimits {

    /** The purposes of anonymous slots. */
    static final String ANONYMOUS_POST_HOUR = "anonymous-post";
    static final String ANONYMOUS_NEW_MEMBER_THREAD_DAY = "new-member-thread";

    private final Database db;
    private final RateLimitConfig limits;
    private final AnonymityConfig anonymity;
    private final AnonymousCounters anonymous;

    public RateLimits(Database db, RateLimitConfig limits, AnonymityConfig anonymity, AnonymousCounters anonymous) {
        this.db = db;
        this.limits = limits;
        this.anonymity = anonymity;
        this.anonymous = anonymous;
    }

    /**
     * Counts a post under the member's name (a new thread counts as a post too). A new member's new thread counts
     * against the threads of the day together with their anonymous ones (found again by their keys, $6).
     */
    public Uni<Void> countPost(SqlConnection conn, Viewer viewer, boolean newThread) {
        long now = Instant.now().getEpochSecond();
        long minute = now / 60 * 60;
        long day = now / 86_400 * 86_400;
        io.vertx.core.buffer.Buffer[] anonymousThreads = newThread
                ? anonymous.keys(viewer.id(), ANONYMOUS_NEW_MEMBER_THREAD_DAY, day / 86_400,
                        Math.min(limits.newMemberThreadsPerDay(), AnonymousCounters.MAX_SLOTS))
                : new io.vertx.core.buffer.Buffer[0];
        return db.list(conn, """
                with me as (select created_at > now() - make_interval(days => $5) as new_member from member where id = $1),
                counted as (
                    insert into rate_counter (member_id, kind, window_start, count)
                    select $1, k.kind, to_timestamp(k.start), 1
                    from (values ('post-minute', $2::bigint), ('post-day', $3::bigint)) as k(kind, start)
                    union all
                    select $1, 'new-member-thread-day', to_timestamp($3), 1 from me where $4 and me.new_member
                    on conflict (member_id, kind, window_start) do update set count = rate_counter.count + 1
                    returning kind, count
                )
                select kind, count + case when kind = 'new-member-thread-day'
                    then (select count(*) from anonymous_counter a where a.key_hash = any($6::bytea[])) else 0 end as count
                from counted
                """, Tuple.from(java.util.Arrays.asList(viewer.id(), minute, day, newThread, limits.newMemberDays(),
                anonymousThreads)), row -> row)
                .map(rows -> {
                    for (Row row : rows) {
                        check(row.getString("kind"), row.getInteger("count"), now, minute, day);
                    }
                    return null;
                });
    }

    /**
     * Counts an anonymous post (a new thread when {@code newThread}) under keyed slots, in the writer's transaction:
     * {@code roundtable.anonymity.posts-per-hour} an hour, and for a member in their first days the threads of the
     * day they may start, named ones included. Over a limit: 429 with Retry-After, and nothing is saved.
     */
    public Uni<Void> countAnonymousPost(SqlConnection conn, Viewer viewer, boolean newThread) {
        long now = Instant.now().getEpochSecond();
        long hour = now / 3600;
        long day = now / 86_400;
        Uni<Void> hourly = anonymous.take(conn, viewer.id(), ANONYMOUS_POST_HOUR, hour, Instant.ofEpochSecond(hour * 3600),
                anonymity.postsPerHour()).map(counted -> {
                    if (!counted) {
                        throw DomainException.tooManyRequests("You have posted " + anonymity.postsPerHour()
                                + " anonymous posts this hour, the most there can be. Your text was not posted; "
                                + "keep it and try again later.", (hour + 1) * 3600 - now);
                    }
                    return null;
                });
        if (!newThread) {
            return hourly;
        }
        return hourly.flatMap(x -> db.one(conn, """
                select m.created_at > now() - make_interval(days => $2) as new_member,
                       coalesce((select r.count from rate_counter r where r.member_id = m.id
                                 and r.kind = 'new-member-thread-day' and r.window_start = to_timestamp($3::bigint)), 0) as named
                from member m where m.id = $1
                """, Tuple.of(viewer.id(), limits.newMemberDays(), day * 86_400), row -> row))
                .flatMap(me -> {
                    if (me == null || !me.getBoolean("new_member")) {
                        return Uni.createFrom().voidItem();
                    }
                    int room = limits.newMemberThreadsPerDay() - me.getInteger("named");
                    return anonymous.take(conn, viewer.id(), ANONYMOUS_NEW_MEMBER_THREAD_DAY, day,
                            Instant.ofEpochSecond(day * 86_400), room).map(counted -> {
                                if (!counted) {
                                    check("new-member-thread-day", limits.newMemberThreadsPerDay() + 1, now, 0, day * 86_400);
                                }
                                return null;
                            });
                });
    }

    public Uni<Void> countFlag(SqlConnection conn, Viewer viewer) {
        long now = Instant.now().getEpochSecond();
        long day = now / 86_400 * 86_400;
        return db.one(conn, """
                insert into rate_counter (member_id, kind, window_start, count) values ($1, 'flag-day', to_timestamp($2), 1)
                on conflict (member_id, kind, window_start) do update set count = rate_counter.count + 1
                returning count
                """, Tuple.of(viewer.id(), day), row -> row.getInteger("count"))
                .map(count -> {
                    check("flag-day", count, now, 0, day);
                    return null;
                });
    }

    private void check(String kind, int count, long now, long minute, long day) {
        switch (kind) {
            case "post-minute" -> {
                if (count > limits.postsPerMinute()) {
                    throw DomainException.tooManyRequests("You are posting faster than " + limits.postsPerMinute()
                            + " posts a minute. Nothing was posted: keep your text and send it again in a moment.",
                            minute + 60 - now);
                }
            }
            case "post-day" -> {
                if (count > limits.postsPerDay()) {
                    throw DomainException.tooManyRequests("You have reached " + limits.postsPerDay()
                            + " posts today. Nothing was posted: keep your text and send it tomorrow.", day + 86_400 - now);
                }
            }
            case "new-member-thread-day" -> {
                if (count > limits.newMemberThreadsPerDay()) {
                    throw DomainException.tooManyRequests("In your first " + limits.newMemberDays() + " days you can start "
                            + limits.newMemberThreadsPerDay() + " threads a day. Nothing was posted: keep your text, "
                            + "reply in an existing thread, or start it tomorrow.", day + 86_400 - now);
                }
            }
            case "flag-day" -> {
                if (count > limits.flagsPerDay()) {
                    throw DomainException.tooManyRequests("You have flagged " + limits.flagsPerDay()
                            + " posts today, the most there can be. Facilitators will see the ones you flagged; "
                            + "try again tomorrow.", day + 86_400 - now);
                }
            }
            default -> throw new IllegalStateException(kind);
        }
    }
}
