package org.roundtable.digest;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestQueue.Claimed;
import org.roundtable.follow.FollowService;

/**
 * Building digests: what goes in a claimed batch's mails, set-based — one statement for the content of all its
 * members (candidates from their follows, their cohorts' new unanswered questions and replies to them; effective
 * levels; Guardian's visibility for each member), then per member the view the mail renders (docs/architecture.md,
 * "Digests", step 3). A digest never depends on what its member wrote anonymously: their own anonymous posts are in it
 * as in anyone's, so that no digest differs for an author.
 */
@ApplicationScoped
public class DigestBuilder {

    private final Database db;
    private final DigestConfig config;
    private final DigestMail mails;

    public DigestBuilder(Database db, DigestConfig config, DigestMail mails) {
        this.db = db;
        this.config = config;
        this.mails = mails;
    }

    // The content of a whole batch in one statement. Candidate threads come from the members' follows (threads at
    // tracking or watching; of each followed channel and tag, the most recently active threads of the window — all of
    // them when watched, the new ones when tracked — up to per-follow), the new unanswered questions
    // of their cohorts, and the threads where someone replied to them. Each candidate gets its effective level
    // (follow/FollowService.ranks, the set form of the one rule: hash joins, not a lookup per row; no row: normal), and
    // the visibility predicate of security/Guardian for THAT member. Per thread at most three
    // posts are shown (with the count of the rest); per member the most recently active threads, up to a limit.
    private static final String CUSTOM_PLAN = "select set_config('plan_cache_mode', 'force_custom_plan', true)";

    private static final String ITEMS = """
            with b as (
                select * from unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::boolean[])
                    as b(member_id, from_at, until_at, admin)
            ),
            fl as (
                select f.member_id, f.thread_id, f.channel_id, f.tag, follow_rank(f.level) as r
                from follow f where f.member_id = any($1)
            ),
            mine as (
                select b.member_id, p.thread_id, p.id as post_id
                from b join post my on my.author_id = b.member_id
                join post p on p.reply_to_id = my.id and p.created_at >= b.from_at and p.created_at < b.until_at
                union
                select b.member_id, p.thread_id, p.id
                from b join thread t on t.author_id = b.member_id
                join post p on p.thread_id = t.id and p.reply_to_id is null and p.number > 1
                           and p.created_at >= b.from_at and p.created_at < b.until_at
            ),
            mine_by_thread as (
                select member_id, thread_id, array_agg(post_id) as posts from mine group by member_id, thread_id
            ),
            cand as (
                select f.member_id, f.thread_id from fl f where f.thread_id is not null and f.r >= 2
                union
                select f.member_id, t.id from fl f join b on b.member_id = f.member_id
                cross join lateral (
                    select t.id from thread t
                    where t.channel_id = f.channel_id and t.last_posted_at >= b.from_at and t.deleted_at is null
                      and (f.r = 3 or (t.created_at >= b.from_at and t.created_at < b.until_at))
                    order by t.last_posted_at desc limit $6) t
                where f.channel_id is not null and f.r >= 2
                union
                select f.member_id, t.id from fl f join b on b.member_id = f.member_id
                cross join lateral (
                    select t.id from thread t
                    -- "+ interval '0'" keeps the planner on the tag index (GIN): a tag has few threads, a week many
                    where t.tags @> array[f.tag] and t.last_posted_at + interval '0' >= b.from_at and t.deleted_at is null
                      and (f.r = 3 or (t.created_at >= b.from_at and t.created_at < b.until_at))
                    order by t.last_posted_at desc limit $6) t
                where f.tag is not null and f.r >= 2
                union
                select b.member_id, t.id from b join cohort_member cm on cm.member_id = b.member_id
                join channel c on c.cohort_id = cm.cohort_id
                join thread t on t.channel_id = c.id and t.created_at >= b.from_at and t.created_at < b.until_at
                            and t.post_count = 1
                union
                select member_id, thread_id from mine_by_thread
            ),
            {effectiveLevels},
            th as (
                select b.member_id, b.from_at, b.until_at, t.id as thread_id, t.title, t.created_at as t_created,
                       t.last_posted_at, c.name as channel_name, coalesce(lv.rank, 1) as rank, mt.posts as mine_posts,
                       (c.cohort_id is not null and t.post_count = 1 and t.accepted_post_id is null
                        and t.created_at >= b.from_at and t.created_at < b.until_at
                        and exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id
                                    and cm.member_id = b.member_id)) as unanswered
                from cand join b on b.member_id = cand.member_id
                join thread t on t.id = cand.thread_id join channel c on c.id = t.channel_id
                left join lv on lv.member_id = cand.member_id and lv.thread_id = cand.thread_id
                left join mine_by_thread mt on mt.member_id = cand.member_id and mt.thread_id = cand.thread_id
                where t.last_posted_at >= b.from_at and %s and %s
            ),
            q as (
                select th.*, row_number() over (partition by th.member_id order by th.last_posted_at desc, th.thread_id desc) as trn,
                       count(*) over (partition by th.member_id) as thread_total
                from th
                where th.rank > 0 and (th.rank = 3 or th.unanswered or th.mine_posts is not null
                       or (th.rank = 2 and th.t_created >= th.from_at and th.t_created < th.until_at))
            )
            select q.member_id, q.thread_id, q.title, q.channel_name, q.rank, q.unanswered, q.thread_total, q.last_posted_at,
                   p.id as post_id, p.number, p.author_id, p.pseudonym, am.name as author_name, p.excerpt, p.post_total
            from q
            cross join lateral (
                select p.id, p.number, p.author_id, p.pseudonym, p.created_at, left(p.source, 400) as excerpt,
                       count(*) over () as post_total
                from post p
                where p.thread_id = q.thread_id and p.created_at >= q.from_at and p.created_at < q.until_at
                  and p.deleted_at is null and p.hidden_at is null and not p.held and p.author_id is distinct from q.member_id
                  and (q.rank = 3 or (p.number = 1 and (q.unanswered or q.rank = 2)) or p.id = any(q.mine_posts))
                order by p.number desc
                limit 3
            ) p
            left join member am on am.id = p.author_id
            where q.trn <= $5
            order by q.member_id, q.last_posted_at desc, q.thread_id, p.number
            """.replace("{effectiveLevels}", FollowService.ranks("lv", "cand", "fl"))
            .formatted(visibleThread("t"), visibleChannel("c", "b.member_id", "b.admin"));

    /** A built digest: the claim it answers and what it shows (empty: nothing to send, nor to a suspended member). */
    record Built(Claimed claimed, DigestView view) {
        boolean empty() {
            return claimed.suspended() || view.threads().isEmpty();
        }
    }

    /** The digests of a claimed batch, in a fixed number of statements whatever its size. */
    Uni<List<Built>> build(List<Claimed> batch) {
        int n = batch.size();
        Long[] ids = new Long[n];
        OffsetDateTime[] from = new OffsetDateTime[n];
        OffsetDateTime[] until = new OffsetDateTime[n];
        Boolean[] admin = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Claimed c = batch.get(i);
            ids[i] = c.memberId();
            from[i] = c.from();
            until[i] = c.until();
            admin[i] = c.admin();
        }
        Map<Long, Map<Long, ThreadBuilder>> threads = new HashMap<>();
        Map<Long, Integer> moreThreads = new HashMap<>();
        long started = System.nanoTime();
        // The app's connections run kept statements with their generic plan (docs/operations.md, "Database"); the
        // batch statement is planned for its own arrays of members instead: its generic plan took a third more of
        // PostgreSQL's time over a whole build (docs/benchmarks.md, "Digest build"). SET LOCAL ends with the transaction.
        return db.inTransaction(conn -> db.execute(conn, CUSTOM_PLAN, Tuple.tuple())
                        .flatMap(x -> db.list(conn, ITEMS, Tuple.of(ids, from, until, admin, config.maxItems(),
                                config.perFollow()), row -> row)))
                .map(rows -> {
                    Log.debugf("Digest batch of %d members: %d content rows in %d ms", n, rows.size(),
                            (System.nanoTime() - started) / 1_000_000);
                    for (Row row : rows) {
                        long member = row.getLong("member_id");
                        long thread = row.getLong("thread_id");
                        String pseudonym = row.getString("pseudonym");
                        // The member's own anonymous posts are listed as anyone else's: leaving them out would make the
                        // one digest that lacks a post its author's.
                        moreThreads.put(member, (int) Math.max(0, row.getLong("thread_total") - config.maxItems()));
                        ThreadBuilder t = threads.computeIfAbsent(member, k -> new LinkedHashMap<>())
                                .computeIfAbsent(thread, k -> new ThreadBuilder(thread, row.getString("title"),
                                        row.getString("channel_name"), reason(row), row.getLong("post_total").intValue()));
                        String author = pseudonym != null ? Pseudonyms.handle(pseudonym)
                                : row.getString("author_name") != null ? row.getString("author_name") : "a former member";
                        t.posts.add(new DigestView.PostEntry(row.getLong("post_id"), author, excerpt(row.getString("excerpt")),
                                postUrl(thread, row.getLong("post_id"))));
                    }
                    List<Built> built = new ArrayList<>(n);
                    for (Claimed c : batch) {
                        List<DigestView.ThreadEntry> entries = threads.getOrDefault(c.memberId(), Map.of()).values().stream()
                                .map(ThreadBuilder::entry).toList();
                        built.add(new Built(c, view(c, entries, entries.isEmpty() ? 0 : moreThreads.getOrDefault(c.memberId(), 0))));
                    }
                    return built;
                });
    }

    private final class ThreadBuilder {
        final long id;
        final String title;
        final String channel;
        final String reason;
        final int newPosts;
        final List<DigestView.PostEntry> posts = new ArrayList<>();

        ThreadBuilder(long id, String title, String channel, String reason, int newPosts) {
            this.id = id;
            this.title = title;
            this.channel = channel;
            this.reason = reason;
            this.newPosts = newPosts;
        }

        DigestView.ThreadEntry entry() {
            return new DigestView.ThreadEntry(id, title, channel, reason, Math.max(newPosts, posts.size()), List.copyOf(posts),
                    mails.baseUrl() + "/threads/" + id);
        }
    }

    private static String reason(Row row) {
        if (row.getBoolean("unanswered")) {
            return "Unanswered question in your cohort";
        }
        return switch (row.getInteger("rank")) {
            case 3 -> "You watch this";
            case 2 -> row.getInteger("number") == 1 ? "New thread" : "Replies to you";
            default -> "Replies to you";
        };
    }

    private DigestView view(Claimed c, List<DigestView.ThreadEntry> threads, int more) {
        String base = mails.baseUrl();
        String period = "daily".equals(c.frequency()) ? "today" : "this week";
        String title = "Roundtable: " + threads.size() + (threads.size() == 1 ? " conversation" : " conversations")
                + " with news " + period;
        return new DigestView(c.name(), title, "daily".equals(c.frequency()) ? "Your daily digest" : "Your weekly digest",
                threads, more, base, base + "/notifications", base + "/preferences",
                mails.unsubscribeUrl(c.memberId()));
    }

    private String postUrl(long thread, long post) {
        return mails.baseUrl() + "/posts/" + post; // the post's permanent address: the thread page that shows it
    }

    /** Markdown source to a short plain excerpt: whitespace collapsed, cut at a word. */
    static String excerpt(String source) {
        if (source == null) {
            return "";
        }
        String text = source.replaceAll("\\s+", " ").strip();
        if (text.length() <= 280) {
            return text;
        }
        int cut = text.lastIndexOf(' ', 280);
        return text.substring(0, cut > 200 ? cut : 280) + " …";
    }
}
