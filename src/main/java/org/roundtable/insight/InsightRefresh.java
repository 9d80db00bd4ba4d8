package org.roundtable.insight;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.roundtable.db.Database;

/**
 * The precomputed figures of the closed weeks (migration V16, docs/insights.md "Cost"): per channel and week the
 * threads, posts and named reactions; per scope (the network, each cohort) and week the members active and the week's
 * questions (asked, answered, solved, median time to a first reply); per channel, week and tag the threads. A page reads
 * them for the 12 closed weeks of its window and counts only the current week (and any closed week not computed yet)
 * from the rows ({@link InsightService#LIVE_FROM}).
 *
 * <p>A refresh recomputes each of the 12 closed weeks before {@code now} whose figures are a period
 * ({@code roundtable.insight.refresh-every}) old or were never computed. It claims the weeks' rows with
 * {@code FOR UPDATE SKIP LOCKED} and replaces their figures in the transaction that holds the claim, so several instances
 * never compute a week twice at once nor add to each other's rows, a page reads a week whole or not at all, and a refresh
 * that fails leaves the weeks to the next one. Recomputing whole weeks each period (rather than on each hide, delete,
 * restore or move) keeps every change to a closed week, whoever makes it, right within a period, with no hook in the
 * features that make it (docs/architecture.md).
 */
@ApplicationScoped
public class InsightRefresh {

    /** What a refresh did: the weeks (their Mondays, UTC) this instance computed; empty when none was due or free. */
    public record Run(List<OffsetDateTime> weeks) {
    }

    private static final long WEEK_HOURS = 168;

    private final Database db;
    private final InsightConfig config;
    private final String instance;

    public InsightRefresh(Database db, InsightConfig config) {
        this.db = db;
        this.config = config;
        this.instance = hostname() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The rows of the 12 closed weeks before the week of {@code now}, so that they can be claimed, and no row for a week
     * older than a page ever shows (with a week's margin for instances whose clocks differ). Parameters: the first
     * week, the week of now. Its own statement, outside the claim: two instances that add the rows at once wait for each
     * other only for this insert.
     */
    static final String WEEKS = """
            with gone as (delete from insight_week where week_start < $1::timestamptz - make_interval(hours => 168))
            insert into insight_week (week_start)
            select $1::timestamptz + make_interval(hours => i * 168) from generate_series(0, %d) i
            on conflict (week_start) do nothing
            """.formatted(Weeks.FULL_WEEKS - 1);

    /** The claim: the weeks among $1 not computed within the period ($2 now, $3 the period in seconds) and free. */
    static final String CLAIM = """
            select week_start from insight_week
            where week_start = any($1) and (refreshed_at is null or refreshed_at <= $2::timestamptz - make_interval(secs => $3))
            order by week_start
            for update skip locked
            """;

    static final String FORGET_CHANNELS = "delete from insight_channel_week where week_start = any($1)";
    static final String FORGET_SCOPES = "delete from insight_scope_week where week_start = any($1)";
    static final String FORGET_TAGS = "delete from insight_tag_week where week_start = any($1)";
    static final String FORGET_UNANSWERED = "delete from insight_unanswered where week_start = any($1)";

    private static final String SHOWN_POST = "p.deleted_at is null and p.hidden_at is null and not p.held";
    private static final String IN_WEEK = "%1$s >= w.week_start and %1$s < w.week_start + make_interval(hours => 168)";

    /**
     * The claimed weeks ($1) of each channel, and the members active per scope: one read of the weeks' posts and
     * reactions, the same rows and rules as {@link InsightService#ACTIVITY} (what members see; the undiscussables' posts
     * counted per channel only, never in "members active", their reactions not at all).
     */
    static final String CHANNELS_AND_ACTIVE = """
            with w as (select unnest($1::timestamptz[]) as week_start),
            p as materialized (
                select w.week_start, t.channel_id, c.cohort_id, c.kind = 'undiscussables' as anonymous, p.number, p.author_id
                from w join post p on %1$s join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                where %3$s and %4$s),
            r as materialized (
                select w.week_start, t.channel_id, c.cohort_id, r.member_id
                from w join reaction r on %2$s join post p on p.id = r.post_id join thread t on t.id = p.thread_id
                     join channel c on c.id = t.channel_id
                where r.member_id is not null and c.kind <> 'undiscussables' and %3$s and %4$s),
            pc as (select week_start, channel_id, count(*) filter (where number = 1) as threads, count(*) as posts
                   from p group by 1, 2),
            rc as (select week_start, channel_id, count(*) as reactions from r group by 1, 2),
            channels as (
                insert into insight_channel_week (week_start, channel_id, threads, posts, reactions)
                select coalesce(pc.week_start, rc.week_start), coalesce(pc.channel_id, rc.channel_id),
                       coalesce(pc.threads, 0), coalesce(pc.posts, 0), coalesce(rc.reactions, 0)
                from pc full join rc on rc.week_start = pc.week_start and rc.channel_id = pc.channel_id
                returning 1),
            a as (select week_start, cohort_id, author_id as m from p where not anonymous and author_id is not null
                  union all select week_start, cohort_id, member_id from r)
            insert into insight_scope_week (week_start, cohort_id, active_members, questions, answered, solved)
            select week_start, case when grouping(cohort_id) = 1 then null else cohort_id end, count(distinct m), 0, 0, 0
            from a group by grouping sets ((week_start, cohort_id), (week_start))
            having grouping(cohort_id) = 1 or cohort_id is not null
            """.formatted(IN_WEEK.formatted("p.created_at"), IN_WEEK.formatted("r.created_at"), SHOWN_POST,
            InsightVisibility.countedThread());

    /**
     * The questions of the claimed weeks ($1) per scope, as of the refresh ($2), as {@link InsightService#QUESTIONS}
     * counts them: asked, answered, solved, the median time to a first reply; and those without a first reply (removed,
     * solved or closed ones too: the page applies those rules), the only questions of these weeks a page checks.
     */
    static final String QUESTIONS = """
            with w as (select unnest($1::timestamptz[]) as week_start),
            q as materialized (
                select w.week_start, t.id, c.cohort_id, t.accepted_post_id is not null as solved, %2$s as counted,
                       (select min(x.created_at) from post x
                        where x.thread_id = t.id and x.number > 1 and x.created_at < $2 and x.deleted_at is null
                          and x.hidden_at is null and not x.held and x.author_id is distinct from t.author_id)
                       - t.created_at as wait
                from w join thread t on %1$s join channel c on c.id = t.channel_id
                where c.kind <> 'undiscussables' and t.author_pseudonym is null),
            unanswered as (insert into insight_unanswered (week_start, thread_id)
                           select week_start, id from q where wait is null returning 1)
            insert into insight_scope_week as s (week_start, cohort_id, active_members, questions, answered, solved,
                                                 median_first_reply_seconds)
            select week_start, case when grouping(cohort_id) = 1 then null else cohort_id end, 0, count(*), count(wait),
                   count(*) filter (where solved), percentile_cont(0.5) within group (order by extract(epoch from wait))
            from q where counted group by grouping sets ((week_start, cohort_id), (week_start))
            having grouping(cohort_id) = 1 or cohort_id is not null
            on conflict (week_start, (coalesce(cohort_id, 0))) do update
            set questions = excluded.questions, answered = excluded.answered, solved = excluded.solved,
                median_first_reply_seconds = excluded.median_first_reply_seconds
            """.formatted(IN_WEEK.formatted("t.created_at"), InsightVisibility.countedThread());

    /** The tags of the threads started in the claimed weeks ($1), per channel, as {@link InsightService#TAGS} counts them. */
    static final String TAGS = """
            with w as (select unnest($1::timestamptz[]) as week_start)
            insert into insight_tag_week (week_start, channel_id, tag, threads)
            select w.week_start, t.channel_id, tag, count(*)
            from w join thread t on %1$s join channel c on c.id = t.channel_id cross join unnest(t.tags) as tag
            where c.kind <> 'undiscussables' and t.author_pseudonym is null and %2$s
            group by 1, 2, 3
            """.formatted(IN_WEEK.formatted("t.created_at"), InsightVisibility.countedThread());

    static final String DONE = "update insight_week set refreshed_at = $2, refreshed_by = $3 where week_start = any($1)";

    /**
     * Recomputes the closed weeks of the window of {@code now} that are due (never computed, or a period old) and that
     * no other instance is computing: takes the moment (the refresh counts first replies before it); gives the weeks
     * this instance computed.
     */
    public Uni<Run> refresh(Instant now) {
        Weeks weeks = Weeks.endingAt(now);
        OffsetDateTime[] closed = weeks.weeks().stream().filter(w -> !w.current())
                .map(w -> w.start().atStartOfDay().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        long started = System.nanoTime();
        return db.execute(WEEKS, Tuple.of(closed[0]))
                .flatMap(added -> db.inTransaction(conn -> db.list(conn, CLAIM, Tuple.tuple().addArrayOfOffsetDateTime(closed)
                                .addOffsetDateTime(at).addDouble((double) config.refreshEvery().toSeconds()),
                        r -> r.getOffsetDateTime("week_start"))
                        .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().item(new Run(List.of()))
                                : compute(conn, claimed, at))))
                .invoke(run -> {
                    if (!run.weeks().isEmpty()) {
                        Log.infof("Insight: %d closed weeks computed (from %s) in %d ms", run.weeks().size(),
                                run.weeks().get(0), (System.nanoTime() - started) / 1_000_000);
                    }
                });
    }

    private Uni<Run> compute(SqlConnection conn, List<OffsetDateTime> claimed, OffsetDateTime at) {
        OffsetDateTime[] weeks = claimed.toArray(OffsetDateTime[]::new);
        Tuple only = Tuple.tuple().addArrayOfOffsetDateTime(weeks);
        return db.execute(conn, FORGET_CHANNELS, only)
                .flatMap(x -> db.execute(conn, FORGET_SCOPES, only))
                .flatMap(x -> db.execute(conn, FORGET_TAGS, only))
                .flatMap(x -> db.execute(conn, FORGET_UNANSWERED, only))
                .flatMap(x -> db.execute(conn, CHANNELS_AND_ACTIVE, only))
                .flatMap(x -> db.execute(conn, QUESTIONS, Tuple.tuple().addArrayOfOffsetDateTime(weeks).addOffsetDateTime(at)))
                .flatMap(x -> db.execute(conn, TAGS, only))
                .flatMap(x -> db.execute(conn, DONE, Tuple.tuple().addArrayOfOffsetDateTime(weeks).addOffsetDateTime(at)
                        .addString(instance)))
                .map(x -> new Run(List.copyOf(claimed)));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "instance";
        }
    }
}
