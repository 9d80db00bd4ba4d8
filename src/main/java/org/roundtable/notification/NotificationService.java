package org.roundtable.notification;

import static org.roundtable.security.Guardian.MEMBER_IS_ADMIN;
import static org.roundtable.security.Guardian.visibleChannel;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/**
 * In-app notifications, stored in the writer's transaction. A member is notified only of what they may see: a
 * mention of someone outside a cohort neither notifies nor reveals anything to them. What an anonymous author's act
 * causes (a mention, a reply, an accepted answer) is delivered at the end of its hour, for everyone alike (the writer
 * too): its row is stamped with that moment, takes an id from the anonymous space, and is not shown, counted or mailed
 * before it ({@link #DELIVERED}).
 */
@ApplicationScoped
public class NotificationService {

    private static final String VISIBLE_TO_M = visibleChannel("c", "m.id", MEMBER_IS_ADMIN);

    /** SQL: a notification (alias n) that has been delivered; one an anonymous act caused waits for its hour's end. */
    public static final String DELIVERED = delivered("n");

    /** {@link #DELIVERED} for the notification of another alias. */
    static String delivered(String n) {
        return n + ".created_at <= now()";
    }

    /** SQL for when a notification is delivered: now, or for an anonymous act ($4, the actor, null) its hour's end. */
    private static final String DELIVERY = "case when $4::bigint is null then date_trunc('hour', now()) + interval '1 hour' else now() end";

    /**
     * The reason a post hidden by members' flags carries until a facilitator decides (moderation's
     * {@code ReviewQueue.FLAGGED}): such a post is not yet a facilitator's act, so its author is not told of it.
     */
    public static final String HIDDEN_BY_FLAGS = "Hidden pending review: flagged by members";

    private final Database db;
    private final org.roundtable.anonymity.Pseudonyms pseudonyms;

    public NotificationService(Database db, org.roundtable.anonymity.Pseudonyms pseudonyms) {
        this.db = db;
        this.pseudonyms = pseudonyms;
    }

    /**
     * Mentions in a post notify the members named, when they may see it. {@code actor} is null for an anonymous post:
     * the notification then names nobody.
     */
    public Uni<Void> mentioned(SqlConnection conn, Viewer actor, long threadId, long postId, Set<String> usernames) {
        if (usernames.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long actorId = actor == null ? null : actor.id();
        String[] names = usernames.toArray(String[]::new);
        return db.execute(conn, """
                insert into notification (id, member_id, kind, thread_id, post_id, actor_id, created_at)
                overriding system value
                select coalesce(u.anonymous_id, nextval(pg_get_serial_sequence('notification', 'id'))), m.id, 'mention', t.id,
                       $3, $4::bigint, %s
                from unnest($1::text[], $5::bigint[]) as u(name, anonymous_id)
                join member m on lower(m.username) = u.name
                join thread t on t.id = $2 join channel c on c.id = t.channel_id
                where m.id is distinct from $4::bigint and %s
                  and not exists (select 1 from notification n where n.member_id = m.id and n.post_id = $3 and n.kind = 'mention')
                """.formatted(DELIVERY, VISIBLE_TO_M), Tuple.from(java.util.Arrays.asList(names, threadId, postId, actorId,
                anonymousIds(actor, names.length)))).replaceWithVoid();
    }

    /**
     * A reply to a member's (named) post. {@code actor} is null when the reply is anonymous; {@code writerId} is who
     * wrote it, so nobody is notified of their own reply. Replies to anonymous posts are not stored: they are
     * computed for their author ({@link #anonymousActivity}).
     */
    public Uni<Void> replied(SqlConnection conn, Viewer actor, long writerId, long threadId, long postId, Long parentAuthor) {
        return notifyMember(conn, "reply", actor, writerId, threadId, postId, parentAuthor);
    }

    public Uni<Void> answerAccepted(SqlConnection conn, Viewer actor, long writerId, long threadId, long postId,
            Long answerAuthor) {
        return notifyMember(conn, "answer_accepted", actor, writerId, threadId, postId, answerAuthor);
    }

    private Uni<Void> notifyMember(SqlConnection conn, String kind, Viewer actor, long writerId, long threadId,
            long postId, Long memberId) {
        // Under a name, nobody is notified of their own act. Anonymously, the writer is notified like anyone else:
        // a missing notification would tell a reader of the table who wrote the post. The page hides it from them.
        if (memberId == null || (actor != null && memberId == writerId)) {
            return Uni.createFrom().voidItem();
        }
        return db.execute(conn, """
                insert into notification (id, member_id, kind, thread_id, post_id, actor_id, created_at)
                overriding system value
                select coalesce($6::bigint, nextval(pg_get_serial_sequence('notification', 'id'))), m.id, $1, t.id, $3,
                       $4::bigint, %s
                from member m join thread t on t.id = $2 join channel c on c.id = t.channel_id
                where m.id = $5 and %s
                """.formatted(DELIVERY, VISIBLE_TO_M), Tuple.from(java.util.Arrays.asList(kind, threadId, postId,
                actor == null ? null : actor.id(), memberId, anonymousIds(actor, 1)[0]))).replaceWithVoid();
    }

    /**
     * What a facilitator acted on, as the notification to its author needs it: who wrote it ({@code authorId}, null when
     * unknown), whether it is anonymous, its thread, and the post ({@code postId}; null for an act on the whole thread).
     * {@code linkThread}, for a whole thread: point at it when its author can still open it where it now is (a move);
     * false for a removed thread, which leaves every notification that points at it.
     */
    public record Moderated(Long authorId, boolean anonymous, long threadId, Long postId, boolean linkThread) {

        /** A post: its author (may be null), its pseudonym (null when named), its thread and id. */
        public static Moderated post(Long authorId, String pseudonym, long threadId, long postId) {
            return new Moderated(authorId, pseudonym != null, threadId, postId, true);
        }

        /** A whole thread: its author (may be null), its stored pseudonym (null when named), and whether to point at it. */
        public static Moderated thread(Long authorId, String authorPseudonym, long threadId, boolean linkThread) {
            return new Moderated(authorId, authorPseudonym != null, threadId, null, linkThread);
        }
    }

    /**
     * Tells the author of a post or a whole thread what a facilitator did to it: a notification of kind "moderation"
     * with the sentence ({@code detail}: "A facilitator hid your post", "A facilitator moved your thread “…” to “…”")
     * and the reason the facilitator gave ({@code reason}, may be null). The one writer of these notifications, for
     * posts (moderation's PostModeration and ReviewQueue) and whole threads (ThreadModeration). The rule comes from
     * issue 19, "People who are moderated are told" (docs/architecture.md, "The author of a moderated post is told"
     * and "The author of a removed or moved thread is told"; docs/security/anonymity.md):
     * <ul>
     * <li>named authors only: an anonymous post or thread stores no author, and nothing here may write a row that
     * would name them; its author finds the act computed ({@link #anonymousActivity});</li>
     * <li>nobody is told of their own act;</li>
     * <li>a post's notification points at the post, and stays while it is removed ({@link #VISIBLE_NOTIFICATION});
     * a whole thread's points at the thread only when {@link Moderated#linkThread} and its author may see the channel
     * it is in, else at nothing (the sentence names the thread).</li>
     * </ul>
     */
    public Uni<Void> tellAuthor(SqlConnection conn, Viewer facilitator, Moderated what, String detail, String reason) {
        Long author = what.authorId();
        if (author == null || author == facilitator.id() || what.anonymous()) {
            return Uni.createFrom().voidItem();
        }
        return db.execute(conn, """
                insert into notification (member_id, kind, thread_id, post_id, actor_id, detail, reason)
                select m.id, 'moderation',
                       case when #{post}::bigint is not null or (#{link} and %s) then t.id end,
                       #{post}::bigint, #{actor}::bigint, #{detail}::text, #{reason}::text
                from member m, thread t join channel c on c.id = t.channel_id
                where m.id = #{author} and t.id = #{thread}
                """.formatted(visibleChannel("c", "m.id", "false")),
                org.roundtable.db.Params.of("author", author, "thread", what.threadId(), "post", what.postId())
                        .and("link", what.linkThread()).and("actor", facilitator.id()).and("detail", detail)
                        .and("reason", reason)).replaceWithVoid();
    }

    /**
     * Ids for the notifications an act causes: none (the sequence) under a name; for an anonymous act, ids from the
     * anonymous space, whose order says nothing (a sequence would place them among named ones).
     */
    private static Long[] anonymousIds(Viewer actor, int n) {
        Long[] ids = new Long[n];
        if (actor == null) {
            for (int i = 0; i < n; i++) {
                ids[i] = org.roundtable.anonymity.AnonymousIds.next();
            }
        }
        return ids;
    }

    /**
     * A stored notification as the page shows it. {@code actorLabel} is the actor's name, or for an anonymous post its
     * pseudonym handle; {@code detail} is the sentence of a moderation outcome, and {@code reason} the reason the
     * facilitator gave when they hid or deleted the member's own post (null otherwise).
     */
    public record Notification(long id, String kind, Long threadId, String threadTitle, Long postId, Integer postNumber,
            String actorLabel, String detail, java.time.OffsetDateTime createdAt, boolean read, String reason) {

        /** One sentence for people: who did what. */
        public String summary() {
            String who = who();
            return who == null ? action() : who + " " + action();
        }

        /**
         * Who did it, as the sentence names them ("Someone" when unknown); null for a moderation outcome, whose
         * sentence names nobody. Pages isolate it ({@code <bdi>}): it is text members chose.
         */
        public String who() {
            return "moderation".equals(kind) ? null : actorLabel == null ? "Someone" : actorLabel;
        }

        /** What they did: the rest of the sentence after {@link #who()}, or the whole sentence when it names nobody. */
        public String action() {
            return switch (kind) {
                case "reply" -> "replied to your post";
                case "mention" -> "mentioned you";
                case "answer_accepted" -> "accepted your reply as the answer";
                case "new_thread" -> "started a thread in something you watch";
                case "new_post" -> "posted in a thread you watch";
                case "moderation" -> detail != null ? detail : "A facilitator acted on a post of yours";
                default -> kind.replace('_', ' ');
            };
        }

        /**
         * A facilitator's act on the member's own post (hid, deleted or refused it): the page shows the reason they gave
         * ({@link #reason()}, or that they gave none).
         */
        public boolean onMyPost() {
            return "moderation".equals(kind) && detail != null && detail.startsWith("A facilitator ");
        }

        /** Where the notification leads: the post in its thread. */
        public String link() {
            if (threadId == null) {
                return "/notifications";
            }
            return postId == null ? "/threads/" + threadId : "/posts/" + postId;
        }
    }

    /** "Someone replied to your anonymous post": computed for its author, never stored. */
    public record AnonymousReply(long threadId, String threadTitle, long postId, int number, long replyToPostId,
            java.time.OffsetDateTime createdAt) {
    }

    /**
     * "A facilitator hid (or deleted) your anonymous post, and why": computed for its author, never stored. {@code action}
     * is "hidden" or "deleted"; {@code at} is the hour it was done (an anonymous post stores no finer time).
     * {@code wholeThread}: the act was on the viewer's anonymous thread: removed whole ({@code postId} is then its
     * opening post, which its author can no longer open, and {@code at} when the facilitator did it), or moved to
     * another channel ({@code action} "moved": its last move, still open to its author).
     */
    public record AnonymousRemoval(long threadId, String threadTitle, long postId, int number, String action,
            String reason, java.time.OffsetDateTime at, boolean wholeThread) {

        /** One sentence for people. */
        public String summary() {
            String did = switch (action) {
                case "deleted" -> "deleted";
                case "moved" -> "moved";
                default -> "hid";
            };
            return "A facilitator " + did + " your anonymous " + (wholeThread ? "thread" : "post");
        }

        /** The thread was moved (to another channel of the undiscussables): it is still there for its author to open. */
        public boolean moved() {
            return "moved".equals(action);
        }
    }

    /** What is computed for the viewer about their anonymous posts: replies to them, and facilitators' removals of them. */
    public record AnonymousActivity(java.util.List<AnonymousReply> replies, java.util.List<AnonymousRemoval> removals) {
        static final AnonymousActivity NONE = new AnonymousActivity(java.util.List.of(), java.util.List.of());
    }

    /** Replies to the viewer's anonymous posts ({@link #anonymousActivity}). */
    public Uni<java.util.List<AnonymousReply>> repliesToMyAnonymousPosts(Viewer viewer, int lookbackDays, int limit) {
        return anonymousActivity(viewer, lookbackDays, limit).map(AnonymousActivity::replies);
    }

    /**
     * Replies to the viewer's anonymous posts, and the viewer's anonymous posts that a facilitator hid or deleted (with
     * the reason they gave), computed without any stored link: the server recomputes the viewer's pseudonym in each
     * undiscussables thread active within the look-back window (a bounded set), then finds replies to posts carrying
     * those pseudonyms, and those posts removed by a facilitator, and the viewer's anonymous threads that a facilitator
     * hid or deleted whole or moved (the thread's stored pseudonym is the viewer's). Three statements, whatever the number of
     * threads. Replies that are removed (deleted, hidden, held) and replies and post removals in threads that are
     * removed (hidden, deleted, withdrawn) are left out; so are posts the author deleted themselves and posts hidden by
     * members' flags until a facilitator decides (docs/security/anonymity.md).
     */
    public Uni<AnonymousActivity> anonymousActivity(Viewer viewer, int lookbackDays, int limit) {
        if (viewer.isGuest()) {
            return Uni.createFrom().item(AnonymousActivity.NONE);
        }
        // The threads, and whether a facilitator removed each whole (hid or deleted it; not its author's withdrawal):
        // replies and post removals are looked for in the others, and the removed ones are told as removals.
        return db.list("""
                select t.id, not %s as removed from thread t join channel c on c.id = t.channel_id
                where c.kind = 'undiscussables' and t.last_posted_at > now() - make_interval(days => #{days})
                  and not t.withdrawn and %s
                """.formatted(org.roundtable.security.Guardian.visibleThread("t"), visibleChannel("c")),
                Guardian.binds(viewer).and("days", lookbackDays),
                row -> row)
                .flatMap(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(AnonymousActivity.NONE);
                    }
                    java.util.List<Long> shown = new java.util.ArrayList<>();
                    java.util.List<Long> removed = new java.util.ArrayList<>();
                    for (var row : rows) {
                        (row.getBoolean("removed") ? removed : shown).add(row.getLong("id"));
                    }
                    String[] mine = shown.stream().map(id -> pseudonyms.of(viewer.id(), id)).toArray(String[]::new);
                    Long[] ids = shown.toArray(Long[]::new);
                    String[] mineRemoved = removed.stream().map(id -> pseudonyms.of(viewer.id(), id)).toArray(String[]::new);
                    Long[] removedIds = removed.toArray(Long[]::new);
                    Uni<java.util.List<AnonymousReply>> replies = db.list("""
                            select r.thread_id, t.title, r.id, r.number, r.reply_to_id, r.created_at
                            from unnest($1::bigint[], $2::text[]) as me(thread_id, pseudonym)
                            join post parent on parent.thread_id = me.thread_id and parent.pseudonym = me.pseudonym
                            join post r on r.reply_to_id = parent.id
                            join thread t on t.id = r.thread_id
                            where r.deleted_at is null and r.hidden_at is null and not r.held
                              and r.pseudonym is distinct from me.pseudonym
                              and (r.author_id is null or r.author_id <> $3)
                              and (r.pseudonym is null or r.created_at + interval '1 hour' <= now())
                              and r.created_at > now() - make_interval(days => $4)
                            order by r.created_at desc, r.id desc
                            limit $5
                            """, Tuple.of(ids, mine, viewer.id(), lookbackDays, limit),
                            row -> new AnonymousReply(row.getLong("thread_id"), row.getString("title"), row.getLong("id"),
                                    row.getInteger("number"), row.getLong("reply_to_id"), row.getOffsetDateTime("created_at")));
                    Uni<java.util.List<AnonymousRemoval>> removals = db.list("""
                            select * from (
                                select p.thread_id, t.title, p.id, p.number,
                                       case when p.deleted_at is not null then 'deleted' else 'hidden' end as action,
                                       case when p.deleted_at is not null then p.deleted_reason else p.hidden_reason end as reason,
                                       coalesce(p.deleted_at, p.hidden_at) as at, false as whole_thread
                                from unnest($1::bigint[], $2::text[]) as me(thread_id, pseudonym)
                                join post p on p.thread_id = me.thread_id and p.pseudonym = me.pseudonym
                                join thread t on t.id = p.thread_id
                                where (p.deleted_at is not null and p.deleted_reason is not null)
                                   or (p.deleted_at is null and p.hidden_at is not null and p.hidden_reason is distinct from $3)
                                union all
                                select t.id, t.title, p.id, p.number,
                                       case when t.deleted_at is not null then 'deleted' else 'hidden' end,
                                       case when t.deleted_at is not null then t.deleted_reason else t.hidden_reason end,
                                       coalesce(t.deleted_at, t.hidden_at), true
                                from unnest($5::bigint[], $6::text[]) as me(thread_id, pseudonym)
                                join thread t on t.id = me.thread_id and t.author_pseudonym = me.pseudonym
                                join post p on p.thread_id = t.id and p.number = 1
                                union all
                                select t.id, t.title, p.id, p.number, 'moved', t.moved_reason, t.moved_at, true
                                from unnest($1::bigint[], $2::text[]) as me(thread_id, pseudonym)
                                join thread t on t.id = me.thread_id and t.author_pseudonym = me.pseudonym
                                join post p on p.thread_id = t.id and p.number = 1
                                where t.moved_at > now() - make_interval(days => $7)
                            ) removal
                            order by at desc, id desc
                            limit $4
                            """, Tuple.from(java.util.Arrays.asList(ids, mine, HIDDEN_BY_FLAGS, limit, removedIds,
                                    mineRemoved, lookbackDays)),
                            row -> new AnonymousRemoval(row.getLong("thread_id"), row.getString("title"), row.getLong("id"),
                                    row.getInteger("number"), row.getString("action"), row.getString("reason"),
                                    row.getOffsetDateTime("at"), row.getBoolean("whole_thread")));
                    return replies.flatMap(r -> removals.map(m -> new AnonymousActivity(r, m)));
                });
    }

    // Notifications of threads the member can no longer see are left out (a cohort they left, a removed thread), and
    // so are those of posts removed since (deleted, held, or hidden — except from the post's own author, who still sees
    // it): in the list, the badge and the API, for as long as the post stays removed. Moderation outcomes may name no
    // thread, and tell of a post that was hidden or deleted by nature: they stay. Alias p: the notification's post.
    static final String VISIBLE_NOTIFICATION = """
            (n.thread_id is null or (%s and %s))
            and %s"""
            .formatted(org.roundtable.security.Guardian.visibleThread("t"), visibleChannel("c"), visiblePost("n", "p"));

    /**
     * The post part of {@link #VISIBLE_NOTIFICATION}, for the notification alias {@code n} and its post {@code p}: alone
     * where the thread part is known to hold (another notification of the same thread, say).
     */
    static String visiblePost(String n, String p) {
        return ("(%1$s.post_id is null or %1$s.kind = 'moderation'"
                + " or (%2$s.deleted_at is null and not %2$s.held and (%2$s.hidden_at is null or %2$s.author_id = #{viewer})))")
                .formatted(n, p);
    }

    /** A member's notifications, newest first. */
    public Uni<java.util.List<Notification>> recent(Viewer viewer, int limit) {
        return recent(viewer, limit, 0);
    }

    /** A page of a member's notifications, newest first: {@code limit} of them after the first {@code offset}. */
    public Uni<java.util.List<Notification>> recent(Viewer viewer, int limit, int offset) {
        return db.list("""
                select n.id, n.kind, n.thread_id, t.title, n.post_id, p.number, p.pseudonym, a.name as actor_name, n.detail,
                       n.created_at, n.read_at, n.reason
                from notification n
                left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
                left join post p on p.id = n.post_id
                left join member a on a.id = n.actor_id
                where n.member_id = #{viewer} and %s and %s
                order by n.created_at desc, n.id desc limit #{limit} offset #{offset}
                """.formatted(DELIVERED, VISIBLE_NOTIFICATION), Guardian.binds(viewer).and("limit", limit).and("offset", offset), row -> row)
                .map(rows -> {
                    java.util.List<Notification> out = new java.util.ArrayList<>();
                    for (var row : rows) {
                        String pseudonym = row.getString("pseudonym");
                        Long threadId = row.getLong("thread_id");
                        // The member's own anonymous post (a reply to their named post, say) is listed as anyone
                        // else's would be: the badge counts it, and a list that left it out would tell whoever sees
                        // both that they wrote it.
                        String actor = pseudonym != null ? org.roundtable.anonymity.Pseudonyms.handle(pseudonym)
                                : row.getString("actor_name");
                        out.add(new Notification(row.getLong("id"), row.getString("kind"), threadId, row.getString("title"),
                                row.getLong("post_id"), row.getInteger("number"), actor, row.getString("detail"),
                                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("read_at") != null,
                                row.getString("reason")));
                    }
                    return out;
                });
    }

    /** Unread notifications of the member (at most 100 counted), for the count in the header. */
    public Uni<Integer> unreadCount(Viewer viewer) {
        if (viewer.isGuest()) {
            return Uni.createFrom().item(0);
        }
        return db.one("""
                select count(*) as n from (
                    select 1 from notification n
                    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
                    left join post p on p.id = n.post_id
                    where n.member_id = #{viewer} and n.read_at is null and %s and %s
                    limit 100) x
                """.formatted(DELIVERED, VISIBLE_NOTIFICATION), Guardian.binds(viewer), row -> row.getLong("n").intValue());
    }

    /**
     * Opens one of the viewer's notifications: marks it read and gives where it leads ({@link Notification#link()});
     * null when the viewer has no such notification (another member's, or not delivered yet).
     */
    public Uni<String> open(Viewer viewer, long id) {
        return db.one("update notification n set read_at = coalesce(read_at, now()) where member_id = $1 and id = $2 and "
                + DELIVERED + " returning thread_id, post_id", Tuple.of(viewer.id(), id),
                row -> new Notification(id, "", row.getLong("thread_id"), null, row.getLong("post_id"), null, null, null,
                        null, true, null).link());
    }

    /** Marks the given notifications of the viewer read (all of them when {@code ids} is null). */
    public Uni<Integer> markRead(Viewer viewer, java.util.List<Long> ids) {
        if (ids == null) {
            return db.execute("update notification n set read_at = now() where member_id = $1 and read_at is null and " + DELIVERED,
                    Tuple.of(viewer.id())).map(io.vertx.mutiny.sqlclient.SqlResult::rowCount);
        }
        return db.execute("update notification n set read_at = now() where member_id = $1 and id = any($2) and read_at is null and "
                + DELIVERED,
                Tuple.of(viewer.id(), ids.toArray(Long[]::new))).map(io.vertx.mutiny.sqlclient.SqlResult::rowCount);
    }
}
