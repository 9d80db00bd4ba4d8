package org.roundtable.insight;

import static org.roundtable.insight.Weeks.bucket;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.db.Database;
import org.roundtable.insight.Insights.ChannelTotal;
import org.roundtable.insight.Insights.ChannelWeek;
import org.roundtable.insight.Insights.ChannelWeeks;
import org.roundtable.insight.Insights.CohortRow;
import org.roundtable.insight.Insights.Inactive;
import org.roundtable.insight.Insights.InactiveMember;
import org.roundtable.insight.Insights.Question;
import org.roundtable.insight.Insights.TagCount;
import org.roundtable.insight.Insights.Unanswered;
import org.roundtable.insight.Insights.WeekFigures;
import org.roundtable.security.Viewer;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Input;

/**
 * Facilitator insight: how a cohort (or the network) is doing over the last 12 weeks and this week so far
 * (docs/insights.md defines every figure).
 *
 * <p>Every page is the same four statements, run side by side (plus one that finds the cohort and what the viewer is to
 * it), whatever the size of the network: the counts of each channel and week with the members active each week, the
 * questions, the top tags, and the members who have not visited. The closed weeks' figures are read from the rows
 * {@link InsightRefresh} computes (every instance reads the same ones); the current week, and any closed week not
 * computed yet, are counted from the rows themselves in the same statements ({@link #LIVE_FROM}).
 *
 * <p>The undiscussables: their channels have only per-week counts of threads and posts, and a week with fewer than K
 * posts (the crowd threshold, {@code roundtable.anonymity.min-audience}) leaves PostgreSQL as null ("fewer than K").
 * Every other figure leaves their channels out, so that no total minus the other channels gives a hidden count back, and
 * no figure is computed per member or per pseudonym from them: "members active" counts named posts and named reactions
 * only.
 */
@ApplicationScoped
public class InsightService {

    /** At most this many unanswered questions are listed (all are counted). */
    public static final int UNANSWERED_LISTED = 50;
    /** Top tags and busiest channels: this many. */
    public static final int TOP = 10;
    /** A member who has not visited for this many days counts as "no visit". */
    public static final int INACTIVE_DAYS = 30;

    private final Database db;
    private final AnonymityConfig anonymity;

    public InsightService(Database db, AnonymityConfig anonymity) {
        this.db = db;
        this.anonymity = anonymity;
    }

    // ------------------------------------------------------------------------------------------------ who may see

    /** The cohort of a page and what the viewer is to it. */
    record CohortScope(long id, String slug, String name, boolean ownFacilitator) {
    }

    private static final String COHORT = """
            select co.id, co.slug, co.name, %s as knows, %s as own_facilitator
            from cohort co where co.slug = $1
            """.formatted(InsightVisibility.knowsCohort(2, 3), InsightVisibility.facilitatesCohort(2, 4));

    /**
     * The cohort when the viewer may see its insight: its own facilitators, network facilitators and admins. Refuses a
     * member of the cohort (403) and anyone else (404, as for a cohort that does not exist).
     */
    Uni<CohortScope> requireCohort(Viewer viewer, String slug) {
        if (viewer.isGuest()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        Input.noNul("slug", slug);
        return db.one(COHORT, Tuple.of(String.valueOf(slug), viewer.id(), viewer.isAdmin(), false), row -> {
            boolean own = row.getBoolean("own_facilitator");
            if (!own && !viewer.isNetworkFacilitator()) {
                if (row.getBoolean("knows")) {
                    throw DomainException.forbidden("Only the facilitators of this cohort, network facilitators and "
                            + "administrators see its insight.");
                }
                return null;
            }
            return new CohortScope(row.getLong("id"), row.getString("slug"), row.getString("name"), own);
        }).map(scope -> {
            if (scope == null) {
                throw DomainException.notFound("The cohort \"" + slug + "\"");
            }
            return scope;
        });
    }

    /** Refuses (403) anyone but network facilitators and admins. */
    static void requireNetwork(Viewer viewer) {
        if (viewer.isGuest()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        if (!viewer.isNetworkFacilitator()) {
            throw DomainException.forbidden("Only network facilitators and administrators see the network's insight.");
        }
    }

    // ------------------------------------------------------------------------------------------------ the pages

    /**
     * A cohort's insight at {@code now}: takes the viewer, the cohort's address and the moment the page is asked at
     * (weeks are counted back from it, see {@link Weeks}); gives the figures; refuses with 404 (not a cohort the viewer
     * may know of) or 403 (a member of it who does not facilitate it).
     */
    public Uni<Insights> cohort(Viewer viewer, String slug, Instant now) {
        return requireCohort(viewer, slug).flatMap(scope -> figures(viewer, Weeks.endingAt(now), scope));
    }

    /** The network's insight at {@code now}, with a row per cohort and channel; refuses (403) all but network facilitators and admins. */
    public Uni<Insights> network(Viewer viewer, Instant now) {
        requireNetwork(viewer);
        return figures(viewer, Weeks.endingAt(now), null);
    }

    private Uni<Insights> figures(Viewer viewer, Weeks weeks, CohortScope scope) {
        Long cohortId = scope == null ? null : scope.id();
        int k = anonymity.minAudience();
        Uni<List<Row>> activity = db.list(scope == null ? ACTIVITY : ACTIVITY_COHORT,
                Tuple.tuple().addOffsetDateTime(weeks.startUtc()).addOffsetDateTime(weeks.nowUtc()).addLong(cohortId)
                        .addInteger(k), r -> r);
        Uni<List<Row>> questions = db.list(QUESTIONS, Tuple.tuple().addOffsetDateTime(weeks.startUtc())
                .addOffsetDateTime(weeks.nowUtc()).addLong(cohortId).addLong(viewer.id()).addBoolean(viewer.isAdmin())
                .addInteger(UNANSWERED_LISTED), r -> r);
        Uni<List<TagCount>> tags = db.list(TAGS, Tuple.tuple().addOffsetDateTime(weeks.startUtc())
                .addOffsetDateTime(weeks.nowUtc()).addLong(cohortId).addInteger(TOP),
                r -> new TagCount(r.getString("tag"), r.getInteger("threads")));
        boolean names = scope != null && scope.ownFacilitator();
        Uni<List<Row>> members = db.list(MEMBERS, Tuple.tuple().addLong(cohortId).addLocalDate(weeks.today())
                .addBoolean(names).addInteger(INACTIVE_DAYS), r -> r);
        return Uni.combine().all().unis(activity, questions, tags, members).asTuple()
                .map(t -> assemble(weeks, scope, k, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4()));
    }

    // ------------------------------------------------------------------------------------------------ statements

    /**
     * The moment from which a page counts from the rows themselves (a CTE "lv" of one row, "live_from"): the first of the
     * window's 12 closed weeks that has no precomputed figures ({@link InsightRefresh}), or else the current week's
     * Monday. The weeks before it are read from the precomputed tables, the weeks from it on from the rows, so no week
     * is counted twice or left out, whatever the refresh has done so far. Parameter $1: the window's start.
     */
    static final String LIVE_FROM = """
            select coalesce(min(g.w), $1::timestamptz + make_interval(hours => %1$d)) as live_from
            from (select $1::timestamptz + make_interval(hours => i * 168) as w from generate_series(0, %2$d) i) g
            where not exists (select 1 from insight_week iw where iw.week_start = g.w and iw.refreshed_at is not null)"""
            .formatted(Weeks.FULL_WEEKS * 168, Weeks.FULL_WEEKS - 1);

    /** Not removed: what members see. */
    private static final String SHOWN_POST = "p.deleted_at is null and p.hidden_at is null and not p.held";
    private static final String IN_SCOPE = "($3::bigint is null or c.cohort_id = $3)";

    /**
     * The live weeks' named reactions (from {@code LIVE_FROM} on) outside the undiscussables, of the scope: read by time
     * (fenced, so that the generic plan cannot start from the threads), each finding its post, thread and channel by key.
     * Its cost follows the live reactions (1,400 on a Monday noon of the benchmark data set), not the scope's threads or
     * posts. Shared by {@link #ACTIVITY} and {@link #ACTIVITY_COHORT}.
     */
    private static final String LIVE_REACTIONS = """
                select tc.channel_id, %2$s as wk, r.member_id
                from (select r.post_id, r.created_at, r.member_id from reaction r
                      where r.created_at >= (select live_from from lv) and r.created_at < $2 and r.member_id is not null
                      offset 0) r
                     join post p on p.id = r.post_id
                     cross join lateral (select t.channel_id from thread t join channel c on c.id = t.channel_id
                                         where t.id = p.thread_id and c.kind <> 'undiscussables' and %3$s and %4$s
                                         offset 0) tc
                where %5$s""";

    /**
     * One scan of the window's posts and reactions for two things: each channel of the scope × each week (rows
     * "channel": threads and posts, for the undiscussables null below K; named reactions), and the members active each
     * week (rows "active": distinct members with a named post or a named reaction outside the undiscussables).
     * Parameters: window start, now, cohort id (null: the network), K. Each live post's and each live reaction's thread
     * and channel are looked up by their keys (the fenced lateral subqueries): the planner cannot know how many rows the
     * live weeks hold (their start comes from {@code lv}), and its generic plan, which takes the channels of the scope
     * for one row, went from the channels to every thread: with 1,000,000 posts it walked all 100,000 threads in key
     * order to merge them with a day's posts, and hashed the 96,752 threads of the named channels to join a day's 1,400
     * reactions (docs/insights.md "Cost").
     */
    static final String ACTIVITY = activity("""
                select tc.channel_id, tc.kind = 'undiscussables' as anonymous, %1$s as wk, p.number, p.author_id
                from post p
                     cross join lateral (select t.channel_id, c.kind from thread t join channel c on c.id = t.channel_id
                                         where t.id = p.thread_id and %3$s and %4$s offset 0) tc
                where p.created_at >= (select live_from from lv) and p.created_at < $2 and %5$s""", LIVE_REACTIONS);

    /**
     * {@link #ACTIVITY} for one cohort: its few threads lead to their posts in the live weeks (by thread), instead of
     * reading every post of the live weeks and keeping the cohort's; the subquery is fenced ({@code offset 0}) so that
     * the generic plan cannot turn it back into the window's scan. The live reactions are read by time as on the
     * network's page ({@link #LIVE_REACTIONS}): reaching them from the cohort's posts probed every post the cohort ever
     * had (96 to 152 ms of CPU for cohorts 3 and 1 on the benchmark data set, 33 to 45 ms by time; docs/insights.md "Cost").
     */
    static final String ACTIVITY_COHORT = activity("""
                select t.channel_id, c.kind = 'undiscussables' as anonymous, %1$s as wk, p.number, p.author_id
                from channel c join thread t on t.channel_id = c.id
                     cross join lateral (select p.created_at, p.number, p.author_id from post p
                                         where p.thread_id = t.id and p.created_at >= (select live_from from lv)
                                           and p.created_at < $2
                                           and %5$s offset 0) p
                where c.cohort_id = $3 and %4$s""", LIVE_REACTIONS);

    private static String activity(String posts, String reactions) {
        return ("""
            with lv as (""" + LIVE_FROM + """
            ),
            p as materialized (""" + posts + """
            ),
            r as materialized (""" + reactions + """
            ),
            pre as materialized (
                select w.channel_id, %7$s as wk, w.threads, w.posts, w.reactions
                from insight_channel_week w join channel c on c.id = w.channel_id
                where w.week_start >= $1 and w.week_start < (select live_from from lv) and %3$s),
            pc as (select channel_id, wk, sum(threads)::int as threads, sum(posts)::int as posts
                   from (select channel_id, wk, count(*) filter (where number = 1) as threads, count(*) as posts
                         from p group by 1, 2
                         union all select channel_id, wk, threads, posts from pre) x
                   group by 1, 2),
            rc as (select channel_id, wk, sum(reactions)::int as reactions
                   from (select channel_id, wk, count(*) as reactions from r group by 1, 2
                         union all select channel_id, wk, reactions from pre) x
                   group by 1, 2),
            active as (select wk, count(distinct m)::int as members
                       from (select wk, author_id as m from p where not anonymous and author_id is not null
                             union all select wk, member_id from r) a
                       group by wk
                       union all
                       select %7$s, w.active_members from insight_scope_week w
                       where w.week_start >= $1 and w.week_start < (select live_from from lv)
                         and coalesce(w.cohort_id, 0) = coalesce($3::bigint, 0))
            select 'channel'::text as row_kind,
                   row_number() over (order by c.cohort_id nulls first, co.slug, c.kind = 'undiscussables', c.position,
                                      c.slug, g.wk) as ord,
                   c.slug, c.name, c.kind, co.slug as cohort_slug, co.name as cohort_name, g.wk,
                   (c.kind = 'undiscussables' and coalesce(pc.posts, 0) < $4) as fewer,
                   case when c.kind = 'undiscussables' and coalesce(pc.posts, 0) < $4 then null
                        else coalesce(pc.threads, 0) end::int as threads,
                   case when c.kind = 'undiscussables' and coalesce(pc.posts, 0) < $4 then null
                        else coalesce(pc.posts, 0) end::int as posts,
                   case when c.kind = 'undiscussables' then 0 else coalesce(rc.reactions, 0) end::int as reactions,
                   null::int as members
            from channel c left join cohort co on co.id = c.cohort_id cross join generate_series(0, %6$d) g(wk)
                 left join pc on pc.channel_id = c.id and pc.wk = g.wk
                 left join rc on rc.channel_id = c.id and rc.wk = g.wk
            where %3$s
            union all
            select 'active', null, null, null, null, null, null, wk, null, null, null, null, members from active
            order by row_kind, ord
            """).formatted(bucket("p.created_at", 1), bucket("r.created_at", 1), IN_SCOPE,
                InsightVisibility.countedThread(), SHOWN_POST, Weeks.FULL_WEEKS, bucket("w.week_start", 1));
    }

    /**
     * The questions asked in the window (threads outside the undiscussables): per week asked, answered, solved and the
     * median time to a first reply (rows "week"); the unanswered ones per cohort (rows "total": all, and those the
     * viewer may open); the oldest unanswered the viewer may open (rows "listed"). A first reply is the first reply
     * not removed, by someone other than the asker, before now. The closed weeks' figures are read from their
     * precomputed rows; of their questions only those that had no first reply when the week was computed
     * ({@code insight_unanswered}) are checked again, all of them from the rows. Parameters: window start, now,
     * cohort id, viewer, admin, how many to list.
     *
     * <p>The channels of the scope ("ch": a few dozen rows, with their cohort and whether the viewer may open them) are
     * read once, and each question is matched to them by its channel's key in an array: the generic plan takes the
     * scope's channels for one row, and joined every question to a scan of the channels and of the cohorts (a third of
     * the statement on the benchmark data set). Titles, channel names and cohorts are looked up for the listed
     * questions only, and the cohorts' totals are counted per channel first.
     */
    static final String QUESTIONS = """
            with lv as (%5$s
            ),
            ch as materialized (
                select c.id, c.slug, c.name, co.slug as cohort, %2$s as readable
                from channel c left join cohort co on co.id = c.cohort_id
                where c.kind <> 'undiscussables' and %3$s),
            q as materialized (
                select t.id, t.channel_id, t.created_at, t.accepted_post_id is not null as solved, %1$s as wk,
                       (select min(x.created_at) from post x
                        where x.thread_id = t.id and x.number > 1 and x.created_at < $2 and x.deleted_at is null
                          and x.hidden_at is null and not x.held and x.author_id is distinct from t.author_id) as first_reply,
                       (t.locked_at is not null or t.closed_at is not null) as closed
                from (select t.* from thread t where t.created_at >= (select live_from from lv) and t.created_at < $2
                      union all
                      select t.* from insight_unanswered un join thread t on t.id = un.thread_id
                      where un.week_start >= $1 and un.week_start < (select live_from from lv)
                      offset 0) t
                where t.channel_id = any ((select array_agg(id) from ch)::bigint[]) and t.author_pseudonym is null
                  and %4$s),
            u as materialized (
                select q.id, q.channel_id, q.created_at, q.wk,
                       coalesce(q.channel_id = any ((select array_agg(id) from ch where readable)::bigint[]), false) as readable
                from q where first_reply is null and not solved and not closed)
            select 'week'::text as kind, wk, count(*)::int as a, count(first_reply)::int as b,
                   (count(*) filter (where solved))::int as solved,
                   (percentile_cont(0.5) within group (order by extract(epoch from first_reply - created_at)))::float8 as median,
                   null::bigint as id, null::text as title, null::text as slug, null::text as name,
                   null::timestamptz as created_at, null::text as cohort
            from q where created_at >= (select live_from from lv) group by wk
            union all
            select 'week', %6$s, w.questions, w.answered, w.solved, w.median_first_reply_seconds, null, null, null, null,
                   null, null
            from insight_scope_week w
            where w.week_start >= $1 and w.week_start < (select live_from from lv)
              and coalesce(w.cohort_id, 0) = coalesce($3::bigint, 0)
            union all
            select 'total', null, sum(x.n)::int, coalesce(sum(x.n) filter (where ch.readable), 0)::int, null, null, null,
                   null, null, null, null, ch.cohort
            from (select channel_id, count(*) as n from u group by channel_id) x join ch on ch.id = x.channel_id
            group by ch.cohort
            union all
            (select 'listed', l.wk, null, null, null, null, l.id, t.title, ch.slug, ch.name, l.created_at, ch.cohort
             from (select id, channel_id, wk, created_at from u where readable order by created_at, id limit $6) l
                  join thread t on t.id = l.id join ch on ch.id = l.channel_id
             order by l.created_at, l.id)
            """.formatted(bucket("t.created_at", 1), InsightVisibility.readableChannel(4, 5), IN_SCOPE,
            InsightVisibility.countedThread(), LIVE_FROM, bucket("w.week_start", 1));

    /**
     * The tags of most threads started in the window, outside the undiscussables. Parameters: start, now, cohort, how
     * many. The live threads are read by time and find their channel by key; the precomputed weeks' rows are read by
     * week and kept when their channel is the scope's: the generic plan, which takes the scope's channels for one row,
     * read the window's rows of {@code insight_tag_week} (keyed by week first) once per channel, 60 times on the
     * network's page (docs/insights.md "Cost").
     */
    static final String TAGS = """
            with lv as (%3$s
            )
            select tag, sum(threads)::int as threads
            from (select tag, count(*) as threads
                  from (select t.channel_id, t.tags from thread t
                        where t.created_at >= (select live_from from lv) and t.created_at < $2 and t.author_pseudonym is null
                          and %2$s offset 0) t
                       cross join lateral (select 1 from channel c where c.id = t.channel_id and c.kind <> 'undiscussables'
                                             and %1$s offset 0) c
                       cross join unnest(t.tags) as tag
                  group by tag
                  union all
                  select w.tag, sum(w.threads) from insight_tag_week w
                  where w.week_start >= $1 and w.week_start < (select live_from from lv)
                    and ($3::bigint is null or w.channel_id in (select c.id from channel c where c.cohort_id = $3))
                  group by w.tag) x
            group by tag order by sum(threads) desc, tag limit $4
            """.formatted(IN_SCOPE, InsightVisibility.countedThread(), LIVE_FROM);

    private static final String INACTIVE = "(m.last_seen_on is null or m.last_seen_on < $2::date - $4::int)";

    /**
     * Members and those with no visit in the last days: per cohort of the scope, and for the network all members
     * (the row without a cohort); the names only when asked ($3: for the cohort's own facilitators). Parameters:
     * cohort id, today (UTC), names, days.
     */
    static final String MEMBERS = """
            select co.slug, co.name, count(m.id)::int as members, (count(m.id) filter (where %1$s))::int as inactive,
                   case when $3 then coalesce(json_agg(json_build_array(m.username, m.name, m.last_seen_on)
                                                       order by lower(m.name), m.username) filter (where %1$s), '[]')
                   end as names
            from cohort co left join cohort_member cm on cm.cohort_id = co.id left join member m on m.id = cm.member_id
            where ($1::bigint is null or co.id = $1)
            group by co.id
            union all
            select null, null, count(*)::int, (count(*) filter (where %1$s))::int, null::json
            from member m where $1::bigint is null having $1::bigint is null
            """.formatted(INACTIVE);

    // ------------------------------------------------------------------------------------------------ assembling

    private Insights assemble(Weeks weeks, CohortScope scope, int k, List<Row> activityRows, List<Row> questionRows,
            List<TagCount> tags, List<Row> memberRows) {
        int n = Weeks.BUCKETS;
        int[] threads = new int[n];
        int[] replies = new int[n];
        int[] reactions = new int[n];
        Map<String, ChannelBuilder> channels = new LinkedHashMap<>();
        Map<String, int[]> byCohort = new LinkedHashMap<>(); // cohort slug -> threads, posts
        Map<Integer, Integer> active = new LinkedHashMap<>();
        for (Row r : activityRows) {
            if ("active".equals(r.getString("row_kind"))) {
                active.put(r.getInteger("wk"), r.getInteger("members"));
                continue;
            }
            String slug = r.getString("slug");
            ChannelBuilder ch = channels.computeIfAbsent(slug, s -> new ChannelBuilder(s, r.getString("name"),
                    r.getString("kind"), r.getString("cohort_slug"), r.getString("cohort_name")));
            int wk = r.getInteger("wk");
            Integer t = r.getInteger("threads");
            Integer p = r.getInteger("posts");
            ch.weeks.add(new ChannelWeek(wk, t, p, r.getBoolean("fewer")));
            if (!"undiscussables".equals(ch.kind)) {
                threads[wk] += t;
                replies[wk] += p - t;
                reactions[wk] += r.getInteger("reactions");
                ch.posts += p;
                if (ch.cohort != null) {
                    int[] c = byCohort.computeIfAbsent(ch.cohort, x -> new int[2]);
                    c[0] += t;
                    c[1] += p;
                }
            }
        }
        int[] asked = new int[n];
        int[] answered = new int[n];
        int[] solved = new int[n];
        Double[] median = new Double[n];
        int unansweredCount = 0;
        int unansweredReadable = 0;
        Map<String, Integer> unansweredByCohort = new LinkedHashMap<>();
        List<Question> listed = new ArrayList<>();
        OffsetDateTime now = weeks.nowUtc();
        for (Row r : questionRows) {
            switch (r.getString("kind")) {
                case "week" -> {
                    int wk = r.getInteger("wk");
                    asked[wk] = r.getInteger("a");
                    answered[wk] = r.getInteger("b");
                    solved[wk] = r.getInteger("solved");
                    median[wk] = r.getDouble("median");
                }
                case "total" -> {
                    unansweredCount += r.getInteger("a");
                    unansweredReadable += r.getInteger("b");
                    String cohort = r.getString("cohort");
                    if (cohort != null) {
                        unansweredByCohort.put(cohort, r.getInteger("a"));
                    }
                }
                default -> {
                    OffsetDateTime askedAt = r.getOffsetDateTime("created_at");
                    long id = r.getLong("id");
                    listed.add(new Question(id, r.getString("title"), r.getString("slug"), r.getString("name"), askedAt,
                            Duration.between(askedAt, now).toHours(), "/threads/" + id));
                }
            }
        }
        List<WeekFigures> figures = new ArrayList<>(n);
        for (Weeks.Week w : weeks.weeks()) {
            int i = w.index();
            figures.add(new WeekFigures(i, w.start(), w.end(), w.current(), threads[i], replies[i], reactions[i],
                    active.getOrDefault(i, 0), asked[i], answered[i], solved[i],
                    asked[i] == 0 ? null : (double) solved[i] / asked[i],
                    median[i] == null ? null : Math.round(median[i])));
        }
        List<ChannelWeeks> channelWeeks = channels.values().stream().map(ChannelBuilder::build).toList();
        List<ChannelTotal> busiest = channels.values().stream().filter(c -> !"undiscussables".equals(c.kind) && c.posts > 0)
                .sorted(Comparator.comparingInt((ChannelBuilder c) -> -c.posts).thenComparing(c -> c.slug))
                .limit(TOP).map(c -> new ChannelTotal(c.slug, c.name, c.cohort, c.posts)).toList();

        Inactive inactive = null;
        List<CohortRow> cohorts = new ArrayList<>();
        for (Row r : memberRows) {
            String cohort = r.getString("slug");
            boolean scopeRow = scope == null ? cohort == null : cohort != null;
            if (scopeRow) {
                inactive = new Inactive(INACTIVE_DAYS, r.getInteger("inactive"), r.getInteger("members"),
                        names(r.getValue("names")));
            }
            if (scope == null && cohort != null) {
                int[] activity = byCohort.getOrDefault(cohort, new int[2]);
                cohorts.add(new CohortRow(cohort, r.getString("name"), r.getInteger("members"), r.getInteger("inactive"),
                        activity[0], activity[1], unansweredByCohort.getOrDefault(cohort, 0)));
            }
        }
        cohorts.sort(Comparator.comparing(CohortRow::name, String.CASE_INSENSITIVE_ORDER).thenComparing(CohortRow::cohort));
        return new Insights(scope == null ? "network" : "cohort", scope == null ? null : scope.slug(),
                scope == null ? "The network" : scope.name(), "UTC", weeks.startUtc(), weeks.nowUtc(), k, figures,
                inactive, new Unanswered(unansweredCount, List.copyOf(listed), unansweredCount - unansweredReadable),
                tags, busiest, channelWeeks, List.copyOf(cohorts));
    }

    private static List<InactiveMember> names(Object value) {
        if (!(value instanceof JsonArray array)) {
            return null;
        }
        List<InactiveMember> members = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonArray m = array.getJsonArray(i);
            String seen = m.getString(2);
            members.add(new InactiveMember(m.getString(0), m.getString(1), seen == null ? null : LocalDate.parse(seen)));
        }
        return List.copyOf(members);
    }

    private static final class ChannelBuilder {
        final String slug;
        final String name;
        final String kind;
        final String cohort;
        final String cohortName;
        final List<ChannelWeek> weeks = new ArrayList<>(Weeks.BUCKETS);
        int posts;

        ChannelBuilder(String slug, String name, String kind, String cohort, String cohortName) {
            this.slug = slug;
            this.name = name;
            this.kind = kind;
            this.cohort = cohort;
            this.cohortName = cohortName;
        }

        ChannelWeeks build() {
            return new ChannelWeeks(slug, name, kind, cohort, cohortName, List.copyOf(weeks));
        }
    }
}
