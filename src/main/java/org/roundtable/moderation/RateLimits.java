package org.roundtable.moderation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.roundtable.db.Database;
import org.roundtable.security.Viewer;
import org.roundtable.web.DomainException;

/**
 * Rate limits of named actions: one statement per action counts it in every window it belongs to and answers the
 * counts; over a limit the transaction fails with 429 and Retry-After, so nothing is saved (and forms keep the text).
 * Anonymous posts are not counted here: their counters are keyed hashes that name nobody (ThreadService).
 */
@ApplicationScoped
public class RateLimits {

    private final Database db;
    private final ModerationConfig.Limits limits;

    public RateLimits(Database db, ModerationConfig config) {
        this.db = db;
        this.limits = config.limits();
    }

    /** Counts a post under the member's name (a new thread counts as a post too). */
    public Uni<Void> countPost(SqlConnection conn, Viewer viewer, boolean newThread) {
        long now = Instant.now().getEpochSecond();
        long minute = now / 60 * 60;
        long day = now / 86_400 * 86_400;
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
                select kind, count from counted
                """, Tuple.of(viewer.id(), minute, day, newThread, limits.newMemberDays()), row -> row)
                .map(rows -> {
                    for (Row row : rows) {
                        check(row.getString("kind"), row.getInteger("count"), now, minute, day);
                    }
                    return null;
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
