package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.anonymity.AnonymousIds;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.follow.FollowService;
import org.roundtable.ratelimit.RateLimits;
import org.roundtable.notification.NotificationService;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Guardian.ChannelFacts;
import org.roundtable.security.Viewer;

/**
 * THE write of new threads and replies (Discourse's PostCreator), for every page, API route and the demo: checked
 * against the channel or thread it goes to, rate-limited, anonymous where asked and allowed, once per idempotency key,
 * with its follows and notifications in the same transaction.
 */
@ApplicationScoped
public class PostCreator {

    private final Database db;
    private final PostRenderer renderer;
    private final NotificationService notifications;
    private final Pseudonyms pseudonyms;
    private final AnonymityConfig anonymity;
    private final RateLimits rateLimits;
    private final FollowService follows;
    private final IdempotencyKeys keys;
    /** The crowd of a channel (alias c) by the configured rule (Guardian#audience). */
    private final String audience;

    public PostCreator(Database db, PostRenderer renderer, NotificationService notifications, Pseudonyms pseudonyms,
            AnonymityConfig anonymity, RateLimits rateLimits, FollowService follows, IdempotencyKeys keys) {
        this.db = db;
        this.renderer = renderer;
        this.notifications = notifications;
        this.pseudonyms = pseudonyms;
        this.anonymity = anonymity;
        this.rateLimits = rateLimits;
        this.follows = follows;
        this.keys = keys;
        this.audience = Guardian.audience(anonymity.crowdActiveDays(), anonymity.crowdSeatedHours());
    }

    /** What a write made: the thread, the post and its number, and whether it is anonymous. */
    public record Created(long threadId, long postId, int number, boolean anonymous) {
        Created(long threadId, long postId, int number) {
            this(threadId, postId, number, false);
        }
    }


    /** Starts a thread as the channel's default (anonymous in the undiscussables, named elsewhere). */
    public Uni<Created> createThread(Viewer viewer, String channelSlug, String title, String body, List<String> tags,
            UUID idempotencyKey) {
        return createThread(viewer, channelSlug, title, body, tags, idempotencyKey, null);
    }

    /**
     * Starts a thread in a channel the viewer may see. The same idempotency key makes one thread. {@code anonymous}
     * null means the channel's default; anonymous posting is only possible in the undiscussables, and only when the
     * channel's audience is a crowd.
     */
    public Uni<Created> createThread(Viewer viewer, String channelSlug, String rawTitle, String rawBody, List<String> tags,
            UUID idempotencyKey, Boolean anonymous) {
        Guardian.requireCanWrite(viewer);
        String title = PostRules.clean(rawTitle);
        String body = PostRules.clean(rawBody);
        List<String> cleanTags = PostRules.normalizeTags(tags);
        PostRules.checkThread(title, body, cleanTags);
        byte[] key = IdempotencyKeys.keyHash(viewer, idempotencyKey);
        return keys.replayed(key).flatMap(existing -> existing != null ? Uni.createFrom().item(existing)
                : renderer.render(body, PostRenderer.Audience.channel(channelSlug)).flatMap(rendered -> db.inTransaction(conn -> db.one(conn, """
                        select c.id, c.kind, c.requires_approval, case when c.kind = 'undiscussables' then %s else 0 end as audience, %s
                        from channel c where c.slug = #{slug}
                        """.formatted(audience, Guardian.channelFacts("c")), Guardian.binds(viewer).and("slug", channelSlug), row -> row)
                        .flatMap(channel -> {
                            Guardian.ensureFound(channel, "The channel \"" + channelSlug + "\"");
                            ChannelFacts facts = ChannelFacts.of(channel);
                            Guardian.ensureCanSee(viewer, facts, "The channel \"" + channelSlug + "\"");
                            Guardian.ensureCanPost(facts);
                            boolean anon = anonymousPost(channel, anonymous);
                            Uni<Void> limit = anon ? rateLimits.countAnonymousPost(conn, viewer, true)
                                    : rateLimits.countPost(conn, viewer, true);
                            boolean held = anon && channel.getBoolean("requires_approval");
                            boolean markers = !ThreadService.UNDISCUSSABLES.equals(channel.getString("kind"));
                            return limit.flatMap(x -> insertThread(conn, viewer, channel.getLong("id"), PostRules.title(title),
                                    cleanTags, body, rendered.html(), anon, held, markers))
                                    .flatMap(created -> afterThread(conn, viewer, created, held));
                        })
                        .flatMap(created -> keys.remember(conn, key, created))
                        .flatMap(created -> notifications.mentioned(conn, created.anonymous() ? null : viewer,
                                created.threadId(), created.postId(), rendered.mentions()).replaceWith(created)))
                        .onFailure(IdempotencyKeys::isDuplicateKey).recoverWithUni(() -> keys.replayed(key))));
    }

    /**
     * Inserts the thread and its opening post. A thread started under a name is read by its author up to their own
     * opening post ({@code markers}: outside the undiscussables, which keep no read markers): it is not news to them.
     */
    private Uni<Created> insertThread(SqlConnection conn, Viewer viewer, long channelId, String title, List<String> tags,
            String source, String html, boolean anonymous, boolean held, boolean markers) {
        if (!anonymous) {
            return db.one(conn, """
                    with t as (
                        insert into thread (channel_id, title, author_id, tags, post_count)
                        values ($1, $2, $3, $4, 1) returning id
                    ),
                    p as (
                        insert into post (thread_id, number, path, author_id, source, html)
                        select t.id, 1, '{}', $3, $5, $6 from t
                        returning thread_id, id
                    ),
                    r as (
                        insert into thread_read (member_id, thread_id, last_read_number) select $3, t.id, 1 from t where $7
                    )
                    select thread_id, id from p
                    """, Tuple.from(Arrays.asList(channelId, title, viewer.id(), tags.toArray(String[]::new), source, html,
                    markers)),
                    row -> new Created(row.getLong("thread_id"), row.getLong("id"), 1));
        }
        // The pseudonym needs the thread's id before the row exists. Ids come from the anonymous space, not the
        // sequences (their order would place the thread among named ones); times are the hour, so that no other row of
        // the author lines up with the post.
        long threadId = AnonymousIds.next();
        return db.one(conn, """
                with t as (
                    insert into thread (id, channel_id, title, author_pseudonym, tags, post_count, created_at, last_posted_at)
                    overriding system value
                    values ($1, $2, $3, $4, $5, 1, date_trunc('hour', now()), date_trunc('hour', now())) returning id
                )
                insert into post (id, thread_id, number, path, pseudonym, source, html, created_at, held)
                overriding system value
                select $9, t.id, 1, '{}', $4, $6, $7, date_trunc('hour', now()), $8 from t
                returning thread_id, id
                """, Tuple.from(Arrays.asList(threadId, channelId, title, pseudonyms.of(viewer.id(), threadId),
                tags.toArray(String[]::new), source, html, held, AnonymousIds.next())),
                row -> new Created(row.getLong("thread_id"), row.getLong("id"), 1, true));
    }

    /** Replies as the channel's default (anonymous in the undiscussables, named elsewhere). */
    public Uni<Created> reply(Viewer viewer, long threadId, Long replyTo, String body, UUID idempotencyKey) {
        return reply(viewer, threadId, replyTo, body, idempotencyKey, null);
    }

    /** Replies to the thread (replyTo null) or to one of its posts. */
    public Uni<Created> reply(Viewer viewer, long threadId, Long replyTo, String rawBody, UUID idempotencyKey,
            Boolean anonymous) {
        Guardian.requireCanWrite(viewer);
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        byte[] key = IdempotencyKeys.keyHash(viewer, idempotencyKey);
        String pseudonym = pseudonyms.of(viewer.id(), threadId);
        return keys.replayed(key).flatMap(existing -> existing != null ? Uni.createFrom().item(existing)
                : renderer.render(body, PostRenderer.Audience.thread(threadId)).flatMap(rendered -> db.inTransaction(conn -> db.one(conn, """
                        select t.id, t.post_count, t.locked_at, t.closed_at, c.kind, c.requires_approval,
                               case when c.kind = 'undiscussables' then %s else 0 end as audience,
                               %s as cohort_archived, %s as silenced,
                               rp.id as parent_id, rp.path as parent_path, rp.number as parent_number,
                               rp.deleted_at as parent_deleted, rp.author_id as parent_author,
                               exists (select 1 from pseudonym_block b where b.thread_id = t.id and b.pseudonym = #{pseudonym}) as blocked
                        from thread t join channel c on c.id = t.channel_id
                        left join post rp on rp.id = #{replyTo} and rp.thread_id = t.id and (not rp.held or rp.pseudonym = #{pseudonym})
                        where t.id = #{thread} and %s and %s
                        for update of t
                        """.formatted(audience, Guardian.cohortArchived("c"), Guardian.silenced("c"), visibleThread("t"),
                                visibleChannel("c")),
                        Guardian.binds(viewer).and("thread", threadId).and("replyTo", replyTo == null ? -1L : replyTo)
                                .and("pseudonym", pseudonym), row -> row)
                        .flatMap(thread -> {
                            Guardian.ensureFound(thread, "The thread");
                            Guardian.ensureCanReply(thread.getBoolean("cohort_archived"),
                                    thread.getOffsetDateTime("locked_at") != null, thread.getOffsetDateTime("closed_at") != null,
                                    thread.getString("silenced"), thread.getBoolean("blocked"));
                            boolean anon = anonymousPost(thread, anonymous);
                            if (replyTo != null && thread.getLong("parent_id") == null) {
                                throw DomainException.invalid(Map.of("replyTo",
                                        "The post you are replying to is not in this thread."));
                            }
                            if (replyTo != null && thread.getOffsetDateTime("parent_deleted") != null) {
                                throw DomainException.conflict("The post you are replying to was deleted.");
                            }
                            boolean toOpening = replyTo == null || thread.getInteger("parent_number") == 1;
                            Long parent = replyTo == null ? null : thread.getLong("parent_id");
                            Long[] parentPath = toOpening ? new Long[0] : thread.getArrayOfLongs("parent_path");
                            int number = thread.getInteger("post_count") + 1;
                            Long parentAuthor = replyTo == null ? null : thread.getLong("parent_author");
                            boolean held = anon && thread.getBoolean("requires_approval");
                            Uni<Void> limit = anon ? rateLimits.countAnonymousPost(conn, viewer, false)
                                    : rateLimits.countPost(conn, viewer, false);
                            Viewer actor = anon ? null : viewer;
                            boolean markers = !ThreadService.UNDISCUSSABLES.equals(thread.getString("kind"));
                            return limit.flatMap(x -> insertReply(conn, viewer, threadId, number, parent, parentPath, body,
                                    rendered.html(), anon ? pseudonym : null, held, key, markers))
                                    .flatMap(created -> afterReply(conn, viewer, created, held))
                                    .flatMap(created -> (held ? Uni.createFrom().voidItem()
                                            : notifications.replied(conn, actor, viewer.id(), threadId, created.postId(), parentAuthor))
                                            .flatMap(y -> notifications.mentioned(conn, actor, threadId, created.postId(),
                                                    held ? Set.of() : rendered.mentions()))
                                            .replaceWith(created));
                        }))
                        .onFailure(IdempotencyKeys::isDuplicateKey).recoverWithUni(() -> keys.replayed(key))));
    }

    /**
     * In the writer's transaction: a thread started under one's name is tracked by its author, and the watchers of its
     * channel and tags hear of it. Anonymous threads set no follow and notify no watcher (FollowService#notifyWatchers).
     */
    private Uni<Created> afterThread(SqlConnection conn, Viewer viewer, Created created, boolean held) {
        Uni<Void> track = created.anonymous() ? Uni.createFrom().voidItem()
                : follows.trackAfterPosting(conn, viewer.id(), created.threadId(), "created_thread");
        return track.flatMap(x -> held || created.anonymous() ? Uni.createFrom().voidItem()
                : follows.notifyWatchers(conn, created.threadId(), created.postId(), true, viewer.id()))
                .replaceWith(created);
    }

    /**
     * In the writer's transaction, after {@link #insertReply}: a reply under a name sets tracking on the thread for its
     * writer unless they chose a level (as a thread started under a name does), and the thread's watchers hear of the
     * reply. Anonymous replies set no follow and notify no watcher.
     */
    private Uni<Created> afterReply(SqlConnection conn, Viewer viewer, Created created, boolean held) {
        if (created.anonymous()) {
            return Uni.createFrom().item(created);
        }
        return follows.trackAfterPosting(conn, viewer.id(), created.threadId(), "replied")
                .flatMap(x -> held ? Uni.createFrom().voidItem()
                        : follows.notifyWatchers(conn, created.threadId(), created.postId(), false, viewer.id()))
                .replaceWith(created);
    }

    /**
     * Inserts the reply and moves the thread's count and activity, and in the same statement (one round trip:
     * docs/benchmarks.md) remembers the idempotency key when there is one ({@link IdempotencyKeys#insert}). A replayed
     * key fails the statement with the key's unique violation, and the caller answers with the post that key made.
     *
     * <p>A reply under a name is not news to its writer: when nothing that counts as new to them lies between their
     * read marker and their reply, the marker moves over the reply ({@code markers}: outside the undiscussables, which
     * keep none). Otherwise it stays, and the thread stays unread for them for what they have not seen. The thread's
     * shown number (V7) is cleared: the new post is its last post members see (a held post is left to the trigger).
     */
    private Uni<Created> insertReply(SqlConnection conn, Viewer viewer, long threadId, int number, Long parent,
            Long[] parentPath, String source, String html, String pseudonym, boolean held, byte[] key, boolean markers) {
        boolean anonymous = pseudonym != null;
        // Anonymous posts store the hour, not the moment; the thread's activity moves by the hour too. Their ids come
        // from the anonymous space. The path is the post numbers down the tree (conversation order), not ids.
        String now = anonymous ? "date_trunc('hour', now())" : "now()";
        return db.one(conn, """
                with n as (select coalesce($11::bigint, nextval(pg_get_serial_sequence('post', 'id'))) as id),
                ins as (
                    insert into post (id, thread_id, number, reply_to_id, path, author_id, pseudonym, source, html, created_at, held)
                    overriding system value
                    select n.id, $1, $2, $3, $4::bigint[] || $2::int::bigint, $5, $6, $7, $8, %1$s, $9 from n
                    returning id, number
                ),
                upd as (update thread set post_count = $2, last_posted_at = greatest(last_posted_at, %1$s),
                               last_shown_number = case when $9 then last_shown_number end
                        where id = $1),
                idem as (%3$s),
                rd as (
                    insert into thread_read (member_id, thread_id, last_read_number)
                    select $5::bigint, $1, $2 where $5::bigint is not null and $12 and not exists (
                        select 1 from post q
                        where q.thread_id = $1 and q.number < $2 and %2$s
                          and q.number > coalesce((select r.last_read_number from thread_read r
                                                   where r.member_id = $5::bigint and r.thread_id = $1), 0))
                    on conflict (member_id, thread_id) do update
                    set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number)
                )
                select id, number from ins
                """.formatted(now, ThreadService.countsAsNew("q", "$5::bigint"),
                        IdempotencyKeys.insert("$10::bytea", "$1", "n.id", "from n")),
                Tuple.from(Arrays.asList(threadId, number, parent, parentPath,
                anonymous ? null : viewer.id(), pseudonym, source, html, held,
                IdempotencyKeys.param(key), anonymous ? AnonymousIds.next() : null,
                markers)),
                row -> new Created(threadId, row.getLong("id"), row.getInteger("number"), anonymous));
    }

    /** Whether this post is anonymous: the channel's default unless asked otherwise, and only where allowed. */
    private boolean anonymousPost(Row channel, Boolean asked) {
        boolean undiscussables = ThreadService.UNDISCUSSABLES.equals(channel.getString("kind"));
        boolean anonymous = asked == null ? undiscussables : asked;
        if (anonymous && !undiscussables) {
            throw DomainException.conflict("Anonymous posting is only possible in the undiscussables; "
                    + "this channel shows your name. Nothing was posted.");
        }
        long audience = channel.getLong("audience");
        if (anonymous && audience < anonymity.minAudience()) {
            throw DomainException.conflict("Anonymous posting needs an audience of at least " + anonymity.minAudience()
                    + " members to keep you anonymous; this channel has " + audience + " (counting those who used "
                    + "Roundtable in the last " + anonymity.crowdActiveDays() + " days and have read it for "
                    + anonymity.crowdSeatedHours() + " hours). Nothing was posted.");
        }
        return anonymous;
    }
}
