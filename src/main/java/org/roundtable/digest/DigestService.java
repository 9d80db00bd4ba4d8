package org.roundtable.digest;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestConfig.Frequency;
import org.roundtable.mail.OutgoingMail;

/**
 * Email digests, built set-based and handed out through the {@code digest} work table (docs/architecture.md,
 * "Digests"):
 * <ol>
 * <li><b>plan</b> — one statement inserts a pending row per member whose send time has come, keyed (member, period):
 * a period is planned once, however many instances plan at once;</li>
 * <li><b>claim</b> — one statement takes a batch of due rows with {@code FOR UPDATE SKIP LOCKED} and leases them to
 * this worker; rows whose lease ran out (a worker died) are claimable again;</li>
 * <li><b>build</b> — one statement fetches the content of the whole batch (what is new in what each member follows and
 * may see, the unanswered questions of their cohorts); one more marks the empty ones. A digest never depends on what
 * its member wrote anonymously: their own anonymous posts are in it as in anyone's, so that no digest, and no
 * {@code digest} row, differs for an author;</li>
 * <li><b>send</b> — per mail, one short transaction flips the row from pending to sent and sends the mail before it
 * commits. A row leaves 'pending' once, so no member gets a period's digest twice; a worker that dies mid-batch
 * leaves the rest pending for the next worker once its lease runs out. A send that fails (SMTP unreachable, the mail
 * refused) puts the row back at once with a backoff ({@code roundtable.digest.retry-after}, doubling), and after
 * {@code roundtable.digest.max-attempts} tries marks it 'failed' for an admin (docs/reliability.md).</li>
 * </ol>
 * Every method takes the time from a {@link Clock} (or an {@link Instant}), so tests can run weeks in seconds.
 */
@ApplicationScoped
public class DigestService {

    private final Database db;
    private final DigestConfig config;
    private final DigestMail mails;
    private final ReactiveMailer mailer;
    private final String instance;

    public DigestService(Database db, DigestConfig config, DigestMail mails, ReactiveMailer mailer) {
        this.db = db;
        this.config = config;
        this.mails = mails;
        this.mailer = mailer;
        this.instance = hostname() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What a run did. */
    public record Run(int planned, int sent, int empty) {
        Run plus(Run other) {
            return new Run(planned + other.planned, sent + other.sent, empty + other.empty);
        }

        static final Run NONE = new Run(0, 0, 0);
    }

    /**
     * Who does the work: its id (in {@code digest.claimed_by}), batch size and lease, where mails go, and — for tests
     * of a worker dying mid-batch — how many mails it sends before it stops dead, leaving its claim behind
     * ({@code crashAfter} &lt; 0: never).
     */
    public record Worker(String id, int batchSize, Duration lease, Function<Mail, Uni<Void>> sink, int crashAfter) {

        public Worker named(String name) {
            return new Worker(name, batchSize, lease, sink, crashAfter);
        }

        public Worker crashingAfter(int mails) {
            return new Worker(id, batchSize, lease, sink, mails);
        }

        public Worker withBatchSize(int size) {
            return new Worker(id, size, lease, sink, crashAfter);
        }

        public Worker sendingTo(Function<Mail, Uni<Void>> to) {
            return new Worker(id, batchSize, lease, to, crashAfter);
        }
    }

    /** Thrown by a worker told to die ({@link Worker#crashAfter}): it leaves without releasing anything. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String worker) {
            super("worker " + worker + " stopped dead (simulated crash)", null, false, false);
        }
    }

    /** This instance's worker, as configured; mails go to the SMTP server. */
    public Worker worker() {
        return new Worker(instance, config.batchSize(), config.lease(), mail -> mailer.send(mail), -1);
    }

    /**
     * The scheduled job: plan what is due now, work until nothing is claimable. Old history is removed by housekeeping
     * ({@code roundtable.digest.keep-history}).
     */
    public Uni<Run> run(Clock clock) {
        Instant now = clock.instant();
        return plan(now, config.defaultFrequency())
                .flatMap(planned -> workers(clock, worker(), config.workers())
                        .map(done -> new Run(planned, done.sent(), done.empty())));
    }

    // ---------------------------------------------------------------- plan

    // A member's period is due when its latest send time (in their zone) is after their last planned period, or — for
    // a member never planned — after they joined or last changed their preferences. The first digest looks back one
    // period; later ones start where the previous one ended, so windows neither overlap nor leave gaps.
    private static final String PLAN = """
            insert into digest (member_id, period_key, frequency, due_at, since)
            select x.member_id, x.frequency || ':' || to_char(x.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'),
                   x.frequency, x.due_at,
                   coalesce(x.last_due, x.due_at - case x.frequency when 'daily' then interval '1 day' else interval '7 days' end)
            from (
                select m.id as member_id, f.frequency,
                       digest_due_at(f.frequency, coalesce(p.digest_hour, $3), coalesce(p.digest_weekday, $4),
                                     coalesce(p.time_zone, 'UTC'), $1) as due_at,
                       (select max(d.due_at) from digest d where d.member_id = m.id) as last_due,
                       coalesce(p.updated_at, m.created_at) as start
                from member m
                left join member_preference p on p.member_id = m.id
                cross join lateral (select coalesce(p.digest_frequency, $2) as frequency) f
                where f.frequency in ('daily', 'weekly') and m.email is not null
            ) x
            where x.due_at > coalesce(x.last_due, x.start)
            on conflict (member_id, period_key) do nothing
            """;

    /** Plans the periods due at {@code now}; {@code networkDefault} applies to members who never chose. */
    public Uni<Integer> plan(Instant now, Frequency networkDefault) {
        return db.execute(PLAN, Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), networkDefault.name(),
                PreferenceService.DEFAULT_HOUR, PreferenceService.DEFAULT_WEEKDAY)).map(rows -> rows.rowCount());
    }

    // ---------------------------------------------------------------- claim

    private static final String CLAIM = """
            with picked as (
                select member_id, period_key from digest
                where status = 'pending' and due_at <= $1 and (lease_until is null or lease_until < $1)
                order by due_at, member_id
                limit $4
                for update skip locked
            ), claimed as (
                update digest d set claimed_by = $2, lease_until = $1 + make_interval(secs => $3), attempts = d.attempts + 1,
                       message_id = coalesce(d.message_id, gen_random_uuid()::text)
                from picked where d.member_id = picked.member_id and d.period_key = picked.period_key
                returning d.member_id, d.period_key, d.frequency, d.due_at, d.since, d.message_id
            )
            select c.member_id, c.period_key, c.frequency, c.due_at, c.message_id,
                   date_trunc('hour', c.since) as from_at, date_trunc('hour', c.due_at) as until_at,
                   m.email, m.name, ('admin' = any(m.roles)) as admin,
                   coalesce(m.suspended_until > $1, false) as suspended
            from claimed c join member m on m.id = c.member_id
            order by c.member_id
            """;

    /**
     * A claimed period of one member, with what the build needs to know of them. A member suspended when their period
     * is claimed gets nothing for it: the period is closed as empty, and the next one starts after it.
     */
    record Claimed(long memberId, String periodKey, String frequency, OffsetDateTime dueAt, OffsetDateTime from,
            OffsetDateTime until, String email, String name, boolean admin, boolean suspended, String messageId) {
    }

    private Uni<List<Claimed>> claim(Instant now, Worker worker) {
        return db.list(CLAIM, Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), worker.id(), worker.lease().toSeconds(),
                worker.batchSize()), row -> new Claimed(row.getLong("member_id"), row.getString("period_key"),
                        row.getString("frequency"), row.getOffsetDateTime("due_at"), row.getOffsetDateTime("from_at"),
                        row.getOffsetDateTime("until_at"), row.getString("email"), row.getString("name"),
                        row.getBoolean("admin"), row.getBoolean("suspended"), row.getString("message_id")));
    }

    // ---------------------------------------------------------------- build

    // The content of a whole batch in one statement. Candidate threads come from the members' follows (threads at
    // tracking or watching; of each followed channel and tag, the most recently active threads of the window — all of
    // them when watched, the new ones when tracked — up to per-follow), the new unanswered questions
    // of their cohorts, and the threads where someone replied to them. Each candidate gets its effective level (the
    // thread's own, else muted when its channel or a tag is muted, else the strongest of channel and tags: hash joins,
    // not a lookup per row), and the visibility predicate of security/Guardian for THAT member. Per thread at most three
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
            tl as (
                select cand.member_id, cand.thread_id, true as own, f.r
                from cand join fl f on f.member_id = cand.member_id and f.thread_id = cand.thread_id
                union all
                select cand.member_id, cand.thread_id, false, f.r
                from cand join thread t on t.id = cand.thread_id
                join fl f on f.member_id = cand.member_id and f.channel_id = t.channel_id
                union all
                select cand.member_id, cand.thread_id, false, f.r
                from cand join thread t on t.id = cand.thread_id cross join lateral unnest(t.tags) as tg(tag)
                join fl f on f.member_id = cand.member_id and f.tag = tg.tag
            ),
            lv as (
                select member_id, thread_id,
                       coalesce(max(r) filter (where own), case when bool_or(r = 0) then 0 else max(r) end) as rank
                from tl group by member_id, thread_id
            ),
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
            """.formatted(visibleThread("t"), visibleChannel("c", "b.member_id", "b.admin"));

    /** A built digest: the claim it answers and what it shows (empty: nothing to send, nor to a suspended member). */
    record Built(Claimed claimed, DigestView view) {
        boolean empty() {
            return claimed.suspended() || view.threads().isEmpty();
        }
    }

    private Uni<List<Built>> build(List<Claimed> batch) {
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

    // ---------------------------------------------------------------- send

    private static final String MARK_EMPTY = """
            update digest d set status = 'empty', finished_at = $1, item_count = 0
            from unnest($2::bigint[], $3::text[]) as e(member_id, period_key)
            where d.member_id = e.member_id and d.period_key = e.period_key and d.status = 'pending'
            """;

    // Locks the row (a second worker on the same row waits here, then finds it no longer pending) and marks it sent;
    // the mail goes out before the transaction commits.
    private static final String MARK_SENT = """
            update digest set status = 'sent', finished_at = $3, item_count = $4
            where member_id = $1 and period_key = $2 and status = 'pending'
            returning member_id
            """;

    // A failed send: the row goes back to the queue at once, its next try after a backoff that doubles with each try (the
    // lease time is the time of the next try), or — its tries used up — it is 'failed', with the error, for an admin.
    // Only while this worker still holds it: a row another worker took over is not touched.
    private static final String RELEASE_FAILED = """
            update digest set claimed_by = null,
                   lease_until = $3 + least(make_interval(secs => $4 * power(2, greatest(attempts - 1, 0))), interval '15 minutes'),
                   last_error = left($5, 500),
                   status = case when attempts >= $6 then 'failed' else 'pending' end,
                   finished_at = case when attempts >= $6 then $3 end
            where member_id = $1 and period_key = $2 and status = 'pending' and claimed_by = $7
            """;

    private static final String HEARTBEAT = """
            update digest set lease_until = $2 where claimed_by = $1 and status = 'pending'
            """;

    /** {@code count} workers side by side ("name-1", "name-2", ...), sharing the work through the work table. */
    public Uni<Run> workers(Clock clock, Worker worker, int count) {
        if (count <= 1) {
            return work(clock, worker);
        }
        List<Uni<Run>> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            all.add(work(clock, worker.named(worker.id() + "-" + i)));
        }
        return Uni.combine().all().unis(all).with(Run.class, runs -> runs.stream().reduce(Run.NONE, Run::plus));
    }

    /** The end of the work: no batch was left to claim. */
    private static final Run NOTHING_LEFT = new Run(0, 0, 0);

    /**
     * Works through claimable periods, batch after batch, until none is left. One batch is in memory at a time: each
     * round is a Uni of its own, so nothing of a finished batch stays reachable.
     */
    public Uni<Run> work(Clock clock, Worker worker) {
        AtomicInteger sent = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> claim(clock.instant(), worker).flatMap(batch -> batch.isEmpty() ? Uni.createFrom().item(NOTHING_LEFT)
                        : build(batch).flatMap(built -> deliver(clock, worker, built, sent))))
                .until(run -> run == NOTHING_LEFT)
                .collect().in(() -> new Run[] { Run.NONE }, (total, run) -> total[0] = total[0].plus(run))
                .map(total -> total[0]);
    }

    private Uni<Run> deliver(Clock clock, Worker worker, List<Built> built, AtomicInteger sent) {
        List<Built> empty = built.stream().filter(Built::empty).toList();
        List<Built> full = built.stream().filter(b -> !b.empty()).toList();
        Uni<Integer> marked = empty.isEmpty() ? Uni.createFrom().item(0)
                : db.execute(MARK_EMPTY, Tuple.of(utc(clock.instant()),
                        empty.stream().map(b -> b.claimed().memberId()).toArray(Long[]::new),
                        empty.stream().map(b -> b.claimed().periodKey()).toArray(String[]::new))).map(rows -> rows.rowCount());
        AtomicInteger index = new AtomicInteger();
        return marked.flatMap(emptied -> Multi.createFrom().iterable(full)
                .onItem().transformToUniAndConcatenate(b -> {
                    if (worker.crashAfter() >= 0 && sent.get() >= worker.crashAfter()) {
                        throw new SimulatedCrash(worker.id());
                    }
                    Uni<Void> heartbeat = index.getAndIncrement() % 25 == 24
                            ? db.execute(HEARTBEAT, Tuple.of(worker.id(), utc(clock.instant().plus(worker.lease())))).replaceWithVoid()
                            : Uni.createFrom().voidItem();
                    return heartbeat.flatMap(x -> sendOne(clock, worker, b)).invoke(ok -> {
                        if (ok) {
                            sent.incrementAndGet();
                        }
                    });
                })
                .collect().asList()
                .map(results -> new Run(0, (int) results.stream().filter(ok -> ok).count(), emptied)));
    }

    private Uni<Boolean> sendOne(Clock clock, Worker worker, Built b) {
        Claimed c = b.claimed();
        // The period's Message-ID is random and kept in its row: a digest sent again (the instance died between the
        // relay's acceptance and the commit) carries the same one, and mailboxes show it once.
        return mails.render(c.email(), b.view())
                .map(mail -> OutgoingMail.header(mail, "Message-ID", "<" + c.messageId() + "@" + mails.mailDomain() + ">"))
                .flatMap(mail -> db.inTransaction(conn -> db.one(conn, MARK_SENT, Tuple.of(c.memberId(), c.periodKey(),
                        utc(clock.instant()), b.view().itemCount()), row -> true)
                        .flatMap(mine -> mine == null ? Uni.createFrom().item(false)
                                : worker.sink().apply(mail).replaceWith(true))))
                .onFailure(failure -> !(failure instanceof SimulatedCrash)).recoverWithUni(failure -> {
                    // The transaction rolled back: the row is pending, still claimed. Released with a backoff, or failed.
                    Log.warnf("Digest %s of member %d not sent: %s", c.periodKey(), c.memberId(), failure.toString());
                    return release(clock, worker, c, failure).replaceWith(false);
                });
    }

    private Uni<Void> release(Clock clock, Worker worker, Claimed c, Throwable failure) {
        return db.execute(RELEASE_FAILED, Tuple.from(List.of(c.memberId(), c.periodKey(), utc(clock.instant()),
                (double) config.retryAfter().toMillis() / 1000.0, String.valueOf(failure), config.maxAttempts(), worker.id())))
                .replaceWithVoid()
                // the database itself may be what failed: the row then waits for its lease to run out
                .onFailure().recoverWithItem(f -> {
                    Log.warnf("Digest %s of member %d not released: %s", c.periodKey(), c.memberId(), f.toString());
                    return null;
                });
    }

    // ---------------------------------------------------------------- helpers

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "roundtable";
        }
    }
}
