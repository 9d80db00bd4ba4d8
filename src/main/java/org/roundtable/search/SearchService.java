package org.roundtable.search;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.follow.FollowService;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.thread.Author;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.roundtable.problem.DomainException;

/**
 * Full-text search over the posts a viewer may read, in one SQL statement per search (after the one that sets its timeout): the match, the filters, the
 * visibility predicate of {@link Guardian} (in {@link #visibility}, the one place this package asks it), the grouping by
 * thread, the order, the page and the snippets. Nothing is filtered after loading.
 *
 * <p>What is never found, for anyone (moderators included): a deleted, hidden or held post, a post of a removed thread,
 * a post in a channel the viewer may not read (another cohort's, an archived one). A removed post cannot match and cannot
 * give a snippet. Anonymous posts are found by their words like any other and shown with their pseudonym; the author
 * filter ({@code @name}) compares the post's member id, which an anonymous post does not have, so it finds none — not
 * for its author either. Nothing in the rank, the order or the snippet reads who wrote a post.
 *
 * <p>Order: relevance ({@code ts_rank} with the title above the body, normalised to [0, 1)) plus recency, as one number
 * that does not depend on the moment of the search — {@code rank + epoch seconds / }{@value #RECENCY_SECONDS} — so that
 * a post two years newer is worth one whole unit of rank, and a cursor stays valid between pages (keyset pagination on
 * that number and the thread id). {@code order:latest} orders by the matching post's time.
 *
 * <p>Cost: a search considers at most the newest {@code roundtable.search.candidates} matching posts the viewer may see
 * (all of them for words in fewer posts), planned for its own values, so that a common word is found by walking the
 * posts from the newest and stopping at the bound instead of ranking every post that has it; the results say when the
 * bound was reached ({@link SearchResults#newestOf()}). Each search also runs under a statement timeout
 * ({@code roundtable.search.timeout}, set for its transaction only): when PostgreSQL cancels it (SQLSTATE 57014) the
 * search is refused with {@link #TOO_BROAD} (422), never a 500. Searches take turns in PostgreSQL ({@link SearchGate}:
 * a few at once per instance, the rest wait in line; a full line is refused with {@link #BUSY}, 503). A member may have
 * {@code roundtable.search.concurrent-per-member} searches running; another is refused at once (429, Retry-After).
 */
@ApplicationScoped
public class SearchService {

    public static final int PAGE_SIZE = 20;

    /** Two years (of 365.25 days): the age that costs a whole unit of rank. */
    static final long RECENCY_SECONDS = 63_115_200L;

    /** The refusal when the search did not finish within its timeout: what the member can do instead. */
    public static final String TOO_BROAD = "This search matches too many posts to rank in time: add a word, a filter"
            + " such as in:channel or #tag, or use order:latest.";

    /** The refusal when so many searches wait for their turn that one more would wait too long (SearchGate). */
    public static final String BUSY = "Search is busy: many members are searching at this moment. Search again in a few"
            + " seconds; your query is kept.";

    /**
     * The search transaction's settings, in one statement: its timeout, and a plan made for each search's own values
     * (the app's connections otherwise keep one generic plan per statement). The plan that is right depends on how
     * many posts have the words, which only the values tell: for a rare word, the text's GIN index and then the newest
     * of its few matches; for a common one, the index on the posts' time walked from the newest, testing each post for
     * the words, until {@code roundtable.search.candidates} matches are found.
     */
    static final String SETTINGS = "select set_config('statement_timeout', $1, true),"
            + " set_config('plan_cache_mode', 'force_custom_plan', true)";

    /** PostgreSQL's query_canceled: the statement timeout (or a cancel request) stopped the statement. */
    static final String QUERY_CANCELED = "57014";

    private final Database db;
    private final SearchGate gate;
    private final Duration timeout;
    private final int candidates;
    private final int concurrent;
    /** Each member's searches running now (no entry: none). */
    private final ConcurrentHashMap<Long, Integer> running = new ConcurrentHashMap<>();

    public SearchService(Database db, SearchGate gate,
            @ConfigProperty(name = "roundtable.search.timeout", defaultValue = "2s") Duration timeout,
            @ConfigProperty(name = "roundtable.search.candidates", defaultValue = "1000") int candidates,
            @ConfigProperty(name = "roundtable.search.concurrent-per-member", defaultValue = "2") int concurrent) {
        this.db = db;
        this.gate = gate;
        this.timeout = timeout;
        this.candidates = candidates;
        this.concurrent = concurrent;
    }

    /**
     * One page of what the viewer may see that matches the query, one result per thread. Takes any query text; refuses
     * a query over {@link SearchQuery#MAX_LENGTH} characters and a cursor this service did not give (400). A query with
     * nothing to search (empty, only unknown filters) runs no statement and gives no results. A search that does not
     * finish within {@code roundtable.search.timeout} is cancelled by PostgreSQL and refused (422, {@link #TOO_BROAD}); one
     * sent while the viewer already has {@code roundtable.search.concurrent-per-member} running is refused before any
     * statement (429, Retry-After: the timeout in whole seconds).
     */
    public Uni<SearchResults> search(Viewer viewer, String q, String cursor) {
        SearchQuery query = SearchQuery.parse(q);
        Cursor after = Cursor.parse(cursor);
        String order = query.latest() ? "latest" : "relevance";
        if (!query.searchable()) {
            return Uni.createFrom().item(new SearchResults(query.raw(), query.words(), order, query.notices(), List.of(), null, null));
        }
        Params params = new Params();
        String sql = statement(viewer, query, after, candidates, params);
        String limit = Math.max(1, timeout.toMillis()) + "ms";
        return Uni.createFrom().deferred(() -> {
            if (!enter(viewer.id())) {
                return Uni.createFrom().<List<Found>>failure(DomainException.tooManyRequests(tooMany(), retryAfter()));
            }
            return gate.inTurn(() -> db.inTransaction(conn -> db.execute(conn, SETTINGS, Tuple.of(limit))
                            .flatMap(set -> db.list(conn, sql, params.tuple(), SearchService::toRow))))
                    .onFailure(BulkheadException.class).transform(full -> DomainException.unavailable(BUSY, retryAfter()))
                    .onFailure().transform(SearchService::refusal)
                    .onTermination().invoke(() -> leave(viewer.id()));
        }).map(rows -> {
            boolean more = rows.size() > PAGE_SIZE;
            List<Found> page = more ? rows.subList(0, PAGE_SIZE) : rows;
            String next = more ? new Cursor(page.get(page.size() - 1).sort(),
                    page.get(page.size() - 1).hit().threadId()).encode() : null;
            return new SearchResults(query.raw(), query.words(), order, query.notices(),
                    page.stream().map(Found::hit).toList(), next,
                    !rows.isEmpty() && rows.get(0).newestOnly() ? candidates : null);
        });
    }

    /** The refusal when the member already has {@code roundtable.search.concurrent-per-member} searches running. */
    String tooMany() {
        return "You have " + concurrent + (concurrent == 1 ? " search" : " searches")
                + " running: wait for the results, then search again.";
    }

    /** Seconds after which a refused search may be sent again: the longest a running search may take. */
    long retryAfter() {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /** Counts a search of the member in, unless they have {@link #concurrent} running; false: refused. */
    private boolean enter(long member) {
        boolean[] entered = {false};
        running.compute(member, (id, n) -> {
            int now = n == null ? 0 : n;
            if (now >= concurrent) {
                return n;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** Counts a search of the member out (its statement ended, failed or was cancelled). */
    private void leave(long member) {
        running.computeIfPresent(member, (id, n) -> n <= 1 ? null : n - 1);
    }

    /** A search cancelled by PostgreSQL (SQLSTATE 57014) as the refusal {@link #TOO_BROAD}; anything else as it is. */
    static Throwable refusal(Throwable failure) {
        return failure instanceof PgException pg && QUERY_CANCELED.equals(pg.getSqlState())
                ? DomainException.unprocessable(TOO_BROAD) : failure;
    }

    // ---------------------------------------------------------------- the statement

    /**
     * The search statement for this query's shape: only the filters it uses are in it, so that PostgreSQL's plan can use
     * the index of each (the text's GIN index, the tags', the author's, the posts' time). Each shape is one prepared
     * statement on a connection, planned for each search's values ({@link #SETTINGS}). Its first part picks the
     * candidates: the matching visible posts, newest first, at most {@code candidates}; only those are ranked, grouped
     * by thread and paged, and {@code newest_only} says whether the bound was reached.
     */
    static String statement(Viewer viewer, SearchQuery query, Cursor after, int candidates, Params params) {
        List<String> where = new ArrayList<>();
        String tsquery = null;
        if (query.words() != null) {
            tsquery = "websearch_to_tsquery('roundtable', " + params.add(query.words()) + "::text)";
            where.add("p.search_vector @@ " + tsquery);
        }
        where.add(visibility(params, viewer));
        if (!query.tags().isEmpty()) {
            where.add("t.tags @> " + params.add(query.tags().toArray(String[]::new)) + "::text[]");
        }
        if (query.channel() != null) {
            where.add("c.slug = " + params.add(query.channel()) + "::text");
        }
        if (query.cohort() != null) {
            where.add("c.cohort_id = (select co.id from cohort co where co.slug = " + params.add(query.cohort()) + "::text)");
        }
        if (query.following()) {
            where.add(FollowService.rank("t", params.add(viewer.id())) + " >= 2");
        }
        if (query.author() != null) {
            // A member id: anonymous posts have none, so no author filter ever finds one (the author's own search too).
            where.add("p.author_id = (select am.id from member am where lower(am.username) = lower("
                    + params.add(query.author()) + "::text))");
        }
        if (query.status() != null) {
            where.add(switch (query.status()) {
                case "solved" -> "t.accepted_post_id is not null";
                case "unanswered" -> "coalesce(t.last_shown_number, t.post_count) <= 1";
                case "open" -> "t.locked_at is null and t.closed_at is null";
                case "locked" -> "t.locked_at is not null";
                default -> throw new IllegalStateException(query.status());
            });
        }
        if (query.before() != null) {
            where.add("p.created_at < " + params.add(startOf(query.before())) + "::timestamptz");
        }
        if (query.after() != null) {
            where.add("p.created_at >= " + params.add(startOf(query.after())) + "::timestamptz");
        }
        String epoch = "extract(epoch from p.created_at)::float8";
        String sort = query.latest() || tsquery == null ? epoch
                : "ts_rank(p.search_vector, " + tsquery + ", 32)::float8 + " + epoch + " / " + RECENCY_SECONDS;
        String bound = params.add(candidates) + "::int";
        String page = after == null ? ""
                : "where (h.sort, h.thread_id) < (" + params.add(after.sort()) + "::float8, " + params.add(after.threadId())
                        + "::bigint)";
        // Without words: a query no text can match (the parser splits words at "_"), so the snippet is the post's
        // opening words (an empty query would do the same with a notice for every row).
        String matched = tsquery == null ? "'roundtable_none'::tsquery" : tsquery;
        String snippet = "ts_headline('roundtable', p.html, " + matched + ", '" + Snippets.OPTIONS + "')";
        String title = "ts_headline('roundtable', " + Snippets.asHtmlText("t.title") + ", " + matched + ", '"
                + Snippets.TITLE_OPTIONS + "')";
        return """
                with candidates as (
                    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
                    from post p
                    join thread t on t.id = p.thread_id
                    join channel c on c.id = t.channel_id
                    where %s
                    order by p.created_at desc, p.id desc
                    limit %s
                ), hits as (
                    select p.id, p.thread_id, p.number, %s as sort
                    from candidates p
                ), best as (
                    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
                    from hits h
                    order by h.thread_id, h.sort desc, h.number
                ), found as (
                    select h.* from best h
                    %s
                    order by h.sort desc, h.thread_id desc
                    limit %d
                )
                select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
                       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
                       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
                       %s as snippet, %s as title_headline,
                       (select count(*) from candidates) >= %s as newest_only
                from found f
                join post p on p.id = f.id
                join thread t on t.id = f.thread_id
                join channel c on c.id = t.channel_id
                left join cohort co on co.id = c.cohort_id
                left join member m on m.id = p.author_id
                order by f.sort desc, f.thread_id desc
                """.formatted(String.join("\n      and ", where), bound, sort, page, PAGE_SIZE + 1, snippet, title, bound);
    }

    /**
     * What the viewer may find: a post that is not removed (deleted, hidden, held), in a thread that is not removed, in
     * a channel the viewer may read. The one place this package asks {@link Guardian} for SQL.
     */
    static String visibility(Params params, Viewer viewer) {
        int viewerParam = params.index(viewer.id());
        int adminParam = params.index(viewer.isAdmin());
        return "p.deleted_at is null and p.hidden_at is null and not p.held"
                + " and " + Guardian.visibleThread("t")
                + " and " + Guardian.visibleChannel("c", "$" + viewerParam, "$" + adminParam);
    }

    private static OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    record Found(double sort, SearchHit hit, boolean newestOnly) {
    }

    private static Found toRow(Row row) {
        String pseudonym = row.getString("pseudonym");
        Author author = row.getLong("author_id") != null
                ? new Author(row.getLong("author_id"), row.getString("username"), row.getString("name"), null)
                : pseudonym != null ? new Author(null, null, null, Pseudonyms.handle(pseudonym)) : Author.DELETED;
        String headline = row.getString("snippet");
        return new Found(row.getDouble("sort"), new SearchHit(row.getLong("thread_id"), row.getString("title"),
                Snippets.html(row.getString("title_headline")),
                List.of(row.getArrayOfStrings("tags")), row.getLong("accepted_post_id") != null,
                row.getOffsetDateTime("locked_at") != null, row.getString("channel_slug"), row.getString("channel_name"),
                row.getString("cohort_slug"), row.getString("cohort_name"), row.getLong("post_id"),
                row.getInteger("number"), row.getOffsetDateTime("created_at"), author, Snippets.text(headline),
                Snippets.html(headline)), row.getBoolean("newest_only"));
    }

    /** The statement's parameters, numbered as they are added. */
    static final class Params {
        private final List<Object> values = new ArrayList<>();

        String add(Object value) {
            return "$" + index(value);
        }

        int index(Object value) {
            values.add(value);
            return values.size();
        }

        Tuple tuple() {
            return Tuple.from(values);
        }
    }

    /** Where the previous page ended: the last result's sort value and thread id, opaque to clients. */
    record Cursor(double sort, long threadId) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (Double.toString(sort) + "_" + threadId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("_");
                double sort = Double.parseDouble(parts[0]);
                if (parts.length != 2 || !Double.isFinite(sort)) {
                    throw new IllegalArgumentException(cursor);
                }
                return new Cursor(sort, Long.parseLong(parts[1]));
            } catch (RuntimeException e) {
                throw DomainException.badRequest("The cursor is not valid: start again from the first page.");
            }
        }
    }
}
