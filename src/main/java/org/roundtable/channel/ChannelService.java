package org.roundtable.channel;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.db.Params;
import org.roundtable.follow.FollowService;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.text.TextRules;
import org.roundtable.thread.Author;
import org.roundtable.thread.ThreadService;
import org.roundtable.thread.ThreadSummary;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Input;

/** Channels and the threads in them, as the viewer may see them. */
@ApplicationScoped
public class ChannelService {

    private final Database db;
    private final org.roundtable.anonymity.AnonymityConfig anonymity;
    private final ChannelRepository repository;
    // The channel list (all the viewer's channels, or one cohort's) and one channel's header: one statement's text,
    // the second computing only the wanted channel's counts; the crowd of an undiscussables channel is counted by the
    // configured rule.
    private final String channelsSql;
    private final String channelSql;

    public ChannelService(Database db, org.roundtable.anonymity.AnonymityConfig anonymity, ChannelRepository repository) {
        this.db = db;
        this.repository = repository;
        this.anonymity = anonymity;
        this.channelsSql = channelsSql(anonymity.crowdActiveDays(), anonymity.crowdSeatedHours(), false);
        this.channelSql = channelsSql(anonymity.crowdActiveDays(), anonymity.crowdSeatedHours(), true);
    }

    /**
     * The channel statement ({@link #CHANNELS}): for every channel the viewer may read ({@code #{cohort}}: of one
     * cohort, or null for all), or, when {@code one}, for the channel {@code #{slug}} only. The one-channel form adds
     * the wanted channel to what the blank threads and the muted sets read ({@code {counted}}), and reads the viewer's
     * read markers in that channel only ({@code {markers}}: a marker carries its thread's channel, migration V25), so
     * that a header pays for no other channel's threads nor for the viewer's reading elsewhere (docs/benchmarks.md,
     * "Channel page: one channel's counts"). The rules are the same text in both.
     */
    static String channelsSql(int crowdActiveDays, int crowdSeatedHours, boolean one) {
        String unread = ThreadService.unread("t", "coalesce(tr.last_read_number, 0)");
        String read = ThreadService.unread("t", "tr.last_read_number");
        String counted = one
                ? "(" + visibleThread("t") + " and t.channel_id = (select w.id from channel w where w.slug = #{slug}))"
                : visibleThread("t");
        return CHANNELS
                .replace("{audience}", Guardian.audience(crowdActiveDays, crowdSeatedHours))
                .replace("{visibleChannel}", visibleChannel("c"))
                .replace("{which}", one ? "c.slug = #{slug}" : "(#{cohort}::bigint is null or c.cohort_id = #{cohort})")
                .replace("{silenced}", Guardian.silenced("c"))
                .replace("{silencedUntil}", Guardian.silencedUntil("c"))
                .replace("{counted}", counted)
                .replace("{markers}", one
                        ? "tr.member_id = #{viewer} and tr.channel_id = (select w.id from channel w where w.slug = #{slug})"
                        : "tr.member_id = #{viewer}")
                .replace("{visible}", visibleThread("t"))
                .replace("{mutedSets}", FollowService.mutedUnreadSets(counted, unread, "#{viewer}"))
                .replace("{unreadNotMuted}", FollowService.unreadNotMuted("c", """
                        c.thread_count - coalesce((select n from done where done.channel_id = c.id), 0)
                                  - coalesce((select n from blank where blank.channel_id = c.id), 0)""", "#{viewer}"))
                .replace("{unread}", unread)
                .replace("{read}", read);
    }

    /*
     * The channel list and every channel header: counts without a pass over the channel's threads (issue 21;
     * docs/architecture.md, "Channel counts").
     *
     * - thread_count: the threads members see (Guardian.visibleThread), kept on the channel row by migration V20's
     *   trigger for named channels; the undiscussables, which V20 leaves uncounted, are counted live.
     * - unread_count: of those, the ones with posts the viewer has not seen (ThreadService.unread: a thread never
     *   opened is unread) and that the viewer has not muted (FollowService.muted), none in the undiscussables. Counted
     *   from the viewer's own rows, grouped by channel once per statement: the kept count, less the threads the
     *   viewer has read to the end ("done"), less those with nothing shown that the viewer never opened ("blank"), less
     *   the unread ones the viewer muted (the muting rule's set form, FollowService.mutedUnreadSets and unreadNotMuted).
     *   One channel's header reads the blank and muted threads of that channel only (channelsSql). ChannelCountsTest
     *   checks the result against the count over every thread, in the list and in each header.
     * - last_activity: the newest activity of a visible thread, from the two ends of thread_channel_activity_idx
     *   (pinned and not).
     */
    private static final String CHANNELS = """
            with done as materialized (
                select t.channel_id, count(*) as n from thread_read tr join thread t on t.id = tr.thread_id
                where {markers} and {visible} and not {read}
                group by t.channel_id),
            blank as materialized (
                select t.channel_id, count(*) as n from thread t
                where coalesce(t.last_shown_number, t.post_count) = 0 and {counted}
                  and not exists (select 1 from thread_read tr where tr.thread_id = t.id and tr.member_id = #{viewer})
                group by t.channel_id),
            {mutedSets}
            select c.id, c.slug, c.name, c.description, c.kind, co.name as cohort, co.slug as cohort_slug,
                   (select count(*) from cohort_member cm where cm.cohort_id = c.cohort_id) as cohort_members,
                   case when c.kind = 'undiscussables' then {audience} else 0 end as audience,
                   case when c.kind = 'undiscussables'
                        then (select count(*) from thread t where t.channel_id = c.id and {visible})
                        else c.thread_count end as thread_count,
                   case when c.kind = 'undiscussables' then 0
                        else {unreadNotMuted} end as unread_count,
                   greatest((select t.last_posted_at from thread t
                             where t.channel_id = c.id and (t.pinned_at is not null)::int = 1 and {visible}
                             order by (t.pinned_at is not null)::int desc, t.last_posted_at desc, t.id desc limit 1),
                            (select t.last_posted_at from thread t
                             where t.channel_id = c.id and (t.pinned_at is not null)::int = 0 and {visible}
                             order by (t.pinned_at is not null)::int desc, t.last_posted_at desc, t.id desc limit 1))
                       as last_activity, {silenced} as silenced_reason, {silencedUntil} as silenced_until
            from channel c
            left join cohort co on co.id = c.cohort_id
            where {visibleChannel} and {which}
            order by c.cohort_id nulls first, c.position, c.name
            """;

    public Uni<List<ChannelSummary>> channels(Viewer viewer) {
        return db.list(channelsSql, Guardian.binds(viewer).and("cohort", null), row -> toChannel(viewer, row));
    }

    /**
     * One channel's header (the channel page, its API and the new-thread form): the list's row for {@code slug}, its
     * counts computed for that channel only; null when there is no such channel or the viewer may not read it.
     */
    public Uni<ChannelSummary> channel(Viewer viewer, String slug) {
        return db.one(channelSql, Guardian.binds(viewer).and("slug", slug), row -> toChannel(viewer, row));
    }

    /** The channels of one cohort the viewer may read (none when they may not see the cohort). */
    public Uni<List<ChannelSummary>> channelsOfCohort(Viewer viewer, long cohortId) {
        return db.list(channelsSql, Guardian.binds(viewer).and("cohort", cohortId), row -> toChannel(viewer, row));
    }

    private ChannelSummary toChannel(Viewer viewer, Row row) {
        return new ChannelSummary(row.getLong("id"), row.getString("slug"), row.getString("name"),
                row.getString("description"), ChannelKind.of(row.getString("kind")), row.getString("cohort"),
                row.getLong("thread_count").intValue(), row.getLong("unread_count").intValue(),
                row.getOffsetDateTime("last_activity"), row.getLong("audience"), anonymity.minAudience(),
                row.getString("cohort_slug"), row.getLong("cohort_members"),
                org.roundtable.security.ReadOnly.of(viewer, row.getString("silenced_reason"),
                        row.getOffsetDateTime("silenced_until"), false, null));
    }

    public record ThreadList(ChannelSummary channel, List<ThreadSummary> threads, String nextCursor) {
    }

    // ---------------------------------------------------------------- recent activity

    /** A thread with the channel (and cohort) it lives in, for lists that span channels. */
    public record ThreadInChannel(ThreadSummary thread, String channelSlug, String channelName, ChannelKind channelKind,
            String cohortSlug, String cohortName) {
    }

    /** The columns {@link #toThread} reads, for a thread {@code t}, its author {@code m} and read marker {@code tr}. */
    private static final String THREAD_COLUMNS = """
            t.id, t.title, t.tags, t.post_count, t.accepted_post_id, t.pinned_at, t.locked_at, t.created_at,
                   t.last_posted_at, t.author_id, t.author_pseudonym, m.username, m.name,
                   coalesce(tr.last_read_number, 0) as last_read, coalesce(t.last_shown_number, t.post_count) as shown_number,
                   %s as removal""".formatted(Guardian.threadRemoval("t"));

    // Lists show removed threads to the channel's moderators only (marked), through Guardian.visibleThread(t, c, ...).
    private static final String RECENT = """
            select %s, %s as muted,
                   c.slug as channel_slug, c.name as channel_name, c.kind, co.slug as cohort_slug, co.name as cohort_name
            from thread t
            join channel c on c.id = t.channel_id
            left join cohort co on co.id = c.cohort_id
            left join member m on m.id = t.author_id
            left join thread_read tr on tr.thread_id = t.id and tr.member_id = #{viewer}
            where %s and %s
              and (#{cohort}::bigint is null or c.cohort_id = #{cohort})
            order by t.last_posted_at desc, t.id desc
            limit #{limit}
            """.formatted(THREAD_COLUMNS, FollowService.muted("t", "#{viewer}"), visibleThread("t", "c"),
                    visibleChannel("c"));

    /** The most recently active threads across every channel the viewer may read (the home page). */
    public Uni<List<ThreadInChannel>> recent(Viewer viewer, int limit) {
        return recent(viewer, null, limit);
    }

    /** The most recently active threads of one cohort's channels, as the viewer may see them. */
    public Uni<List<ThreadInChannel>> recentInCohort(Viewer viewer, long cohortId, int limit) {
        return recent(viewer, cohortId, limit);
    }

    private Uni<List<ThreadInChannel>> recent(Viewer viewer, Long cohortId, int limit) {
        return db.list(RECENT, Guardian.binds(viewer).and("cohort", cohortId).and("limit", limit),
                row -> new ThreadInChannel(toThread(row, "undiscussables".equals(row.getString("kind"))),
                        row.getString("channel_slug"), row.getString("channel_name"), ChannelKind.of(row.getString("kind")),
                        row.getString("cohort_slug"), row.getString("cohort_name")));
    }

    // ---------------------------------------------------------------- creating

    /**
     * Creates a channel. Who may is decided by the caller's feature (cohort channels: the cohort's facilitators and
     * admins, see cohort/CohortService); this checks the channel itself. A slug in use answers 409. Hibernate Reactive:
     * the channel is an administrative row, listed after the others of its cohort.
     */
    @WithTransaction
    public Uni<ChannelSummary> create(Long cohortId, String slug, String name, String description, ChannelKind kind) {
        String cleanSlug = slug == null ? "" : slug.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.Map<String, String> errors = new java.util.LinkedHashMap<>();
        if (!cleanSlug.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            errors.put("slug", "The address name takes lower-case letters, digits and dashes (up to 63), e.g. \"budget-2026\".");
        }
        String cleanName = TextRules.oneLineField(errors, "name", "the channel's name", name, true);
        if (!errors.containsKey("name") && cleanName.length() > 80) {
            errors.put("name", "Give the channel a name of up to 80 characters.");
        }
        String cleanDescription = TextRules.oneLineField(errors, "description", "the description", description, false);
        if (description != null && description.length() > 500) {
            errors.putIfAbsent("description", "Keep the description under 500 characters.");
        }
        if (kind == null || (kind == ChannelKind.COHORT && cohortId == null)
                || (kind == ChannelKind.NETWORK && cohortId != null)) {
            errors.put("kind", "A cohort's channel is a cohort channel or the cohort's undiscussables.");
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        Input.refuseNul("name", name, "description", description);
        Channel channel = new Channel();
        channel.slug = cleanSlug;
        channel.name = cleanName;
        channel.description = cleanDescription == null ? "" : cleanDescription;
        channel.kind = kind;
        channel.cohortId = cohortId;
        Supplier<DomainException> taken = () -> DomainException.conflict(
                "The address \"" + cleanSlug + "\" is taken by another channel: pick another.");
        return repository.slugTaken(cleanSlug).flatMap(inUse -> {
            if (inUse) {
                throw taken.get();
            }
            return repository.nextPosition(cohortId);
        }).flatMap(position -> {
            channel.position = position;
            return repository.persistAndFlush(channel);
        })
                // Taken between the check and the insert: the unique index says so.
                .onFailure(ChannelService::isUniqueViolation).transform(e -> taken.get())
                .map(created -> new ChannelSummary(created.id, created.slug, created.name, created.description,
                        created.kind, null, 0, 0, null, 0, anonymity.minAudience()));
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg) {
                return "23505".equals(pg.getSqlState());
            }
        }
        return false;
    }

    // The viewer's read markers are joined by channel as well (a marker carries its thread's channel, migration V25): the
    // statement then reads the markers of this channel, not all of the viewer's.
    private static final String THREADS = """
            select %s, %s as muted
            from thread t
            join channel c on c.id = t.channel_id
            left join member m on m.id = t.author_id
            left join thread_read tr on tr.thread_id = t.id and tr.member_id = #{viewer} and tr.channel_id = #{channel}
            where t.channel_id = #{channel} and %s
              and (#{afterId}::bigint is null or ((t.pinned_at is not null)::int, t.last_posted_at, t.id)
                   < (#{afterPinned}::int, #{afterPostedAt}::timestamptz, #{afterId}::bigint))
            order by (t.pinned_at is not null)::int desc, t.last_posted_at desc, t.id desc
            limit #{limit}
            """.formatted(THREAD_COLUMNS, FollowService.muted("t", "#{viewer}"), visibleThread("t", "c"));

    /** One page (30) of a channel's threads, pinned first, then by last activity; keyset pagination by cursor. */
    public Uni<ThreadList> threads(Viewer viewer, String slug, String cursor) {
        Cursor after = Cursor.parse(cursor);
        return channel(viewer, slug).flatMap(channel -> {
            Guardian.ensureFound(channel, "The channel \"" + slug + "\"");
            Params params = Guardian.binds(viewer).and("channel", channel.id())
                    .and("afterId", after == null ? null : after.id()).and("afterPinned", after == null ? null : after.pinned())
                    .and("afterPostedAt", after == null ? null : after.lastPostedAt())
                    .and("limit", ThreadService.CHANNEL_PAGE_SIZE + 1);
            return db.list(THREADS, params, row -> toThread(row, channel.undiscussables())).map(rows -> {
                boolean more = rows.size() > ThreadService.CHANNEL_PAGE_SIZE;
                List<ThreadSummary> page = more ? rows.subList(0, ThreadService.CHANNEL_PAGE_SIZE) : rows;
                String next = more ? Cursor.of(page.get(page.size() - 1)).encode() : null;
                return new ThreadList(channel, page, next);
            });
        });
    }

    /** The newest threads with a tag that the viewer may see (the tag page), 30 at most. */
    public Uni<List<ThreadSummary>> tagged(Viewer viewer, String tag) {
        return db.list("""
                select %s, c.kind, %s as muted
                from thread t join channel c on c.id = t.channel_id
                left join member m on m.id = t.author_id
                left join thread_read tr on tr.thread_id = t.id and tr.member_id = #{viewer}
                where t.tags @> array[#{tag}::text] and %s and %s
                order by t.last_posted_at desc, t.id desc
                limit #{limit}
                """.formatted(THREAD_COLUMNS, FollowService.muted("t", "#{viewer}"), visibleThread("t", "c"),
                        visibleChannel("c")),
                Guardian.binds(viewer).and("tag", tag).and("limit", ThreadService.CHANNEL_PAGE_SIZE),
                row -> toThread(row, "undiscussables".equals(row.getString("kind"))));
    }

    // The undiscussables keep no read markers (they would point at authors), so nothing there is marked unread; nor is
    // a thread the viewer muted, nor a removed one (listed for its moderators only). Unread compares the last post
    // members see, not the post count: a removed post never makes a thread new (ThreadService.unread).
    private static ThreadSummary toThread(Row row, boolean undiscussables) {
        String pseudonym = row.getString("author_pseudonym");
        Author author = row.getLong("author_id") != null
                ? new Author(row.getLong("author_id"), row.getString("username"), row.getString("name"), null)
                : pseudonym != null ? new Author(null, null, null, Pseudonyms.handle(pseudonym)) : Author.DELETED;
        int posts = row.getInteger("post_count");
        return new ThreadSummary(row.getLong("id"), row.getString("title"), author,
                List.of(row.getArrayOfStrings("tags")), Math.max(posts - 1, 0), row.getLong("accepted_post_id") != null,
                row.getOffsetDateTime("pinned_at") != null, row.getOffsetDateTime("locked_at") != null,
                !undiscussables && !row.getBoolean("muted") && row.getString("removal") == null
                        && row.getInteger("shown_number") > row.getInteger("last_read"),
                row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("last_posted_at"), row.getString("removal"));
    }

    /** Where the previous page ended: (pinned, last activity, id), opaque to clients. */
    record Cursor(int pinned, OffsetDateTime lastPostedAt, long id) {

        static Cursor of(ThreadSummary last) {
            return new Cursor(last.pinned() ? 1 : 0, last.lastPostedAt(), last.id());
        }

        String encode() {
            Instant at = lastPostedAt.toInstant();
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((pinned + "." + micros + "." + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.");
                Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
                return new Cursor(Integer.parseInt(parts[0]), OffsetDateTime.ofInstant(at, ZoneOffset.UTC),
                        Long.parseLong(parts[2]));
            } catch (RuntimeException e) {
                throw DomainException.badRequest("The cursor is not valid: start again from the first page.");
            }
        }
    }
}
