package org.roundtable.notification;

import static org.roundtable.security.Guardian.MEMBER_IS_ADMIN;
import static org.roundtable.security.Guardian.visibleChannel;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.roundtable.db.Database;
import org.roundtable.security.Viewer;

/**
 * In-app notifications, stored in the writer's transaction. A member is notified only of what they may see: a
 * mention of someone outside a cohort neither notifies nor reveals anything to them.
 */
@ApplicationScoped
public class NotificationService {

    private static final String VISIBLE_TO_M = visibleChannel("c", "m.id", MEMBER_IS_ADMIN);

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
        return db.execute(conn, """
                insert into notification (member_id, kind, thread_id, post_id, actor_id)
                select m.id, 'mention', t.id, $3, $4::bigint
                from member m join thread t on t.id = $2 join channel c on c.id = t.channel_id
                where lower(m.username) = any($1) and m.id is distinct from $4::bigint and %s
                  and not exists (select 1 from notification n where n.member_id = m.id and n.post_id = $3 and n.kind = 'mention')
                """.formatted(VISIBLE_TO_M), Tuple.from(java.util.Arrays.asList(usernames.toArray(String[]::new), threadId,
                postId, actorId))).replaceWithVoid();
    }

    /**
     * A reply to a member's (named) post. {@code actor} is null when the reply is anonymous; {@code writerId} is who
     * wrote it, so nobody is notified of their own reply. Replies to anonymous posts are not stored: they are
     * computed for their author ({@link #repliesToMyAnonymousPosts}).
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
        if (memberId == null || memberId == writerId) {
            return Uni.createFrom().voidItem();
        }
        return db.execute(conn, """
                insert into notification (member_id, kind, thread_id, post_id, actor_id)
                select m.id, $1, t.id, $3, $4::bigint
                from member m join thread t on t.id = $2 join channel c on c.id = t.channel_id
                where m.id = $5 and %s
                """.formatted(VISIBLE_TO_M), Tuple.from(java.util.Arrays.asList(kind, threadId, postId,
                actor == null ? null : actor.id(), memberId))).replaceWithVoid();
    }

    public record Notification(long id, String kind, long threadId, String threadTitle, Long postId, String actorName,
            java.time.OffsetDateTime createdAt, boolean read) {
    }

    /** "Someone replied to your anonymous post": computed for its author, never stored. */
    public record AnonymousReply(long threadId, String threadTitle, long postId, int number, long replyToPostId,
            java.time.OffsetDateTime createdAt) {
    }

    /**
     * Replies to the viewer's anonymous posts, computed without any stored link: the server recomputes the viewer's
     * pseudonym in each undiscussables thread active within the look-back window (a bounded set), then finds replies
     * to posts carrying those pseudonyms. Two statements, whatever the number of threads.
     */
    public Uni<java.util.List<AnonymousReply>> repliesToMyAnonymousPosts(Viewer viewer, int lookbackDays, int limit) {
        return db.list("""
                select t.id from thread t join channel c on c.id = t.channel_id
                where c.kind = 'undiscussables' and t.last_posted_at > now() - make_interval(days => $3)
                  and t.deleted_at is null and %s
                """.formatted(visibleChannel("c", 1, 2)), Tuple.of(viewer.id(), viewer.isAdmin(), lookbackDays),
                row -> row.getLong("id"))
                .flatMap(threads -> {
                    if (threads.isEmpty()) {
                        return Uni.createFrom().item(java.util.List.<AnonymousReply>of());
                    }
                    String[] mine = threads.stream().map(id -> pseudonyms.of(viewer.id(), id)).toArray(String[]::new);
                    Long[] ids = threads.toArray(Long[]::new);
                    return db.list("""
                            select r.thread_id, t.title, r.id, r.number, r.reply_to_id, r.created_at
                            from unnest($1::bigint[], $2::text[]) as me(thread_id, pseudonym)
                            join post parent on parent.thread_id = me.thread_id and parent.pseudonym = me.pseudonym
                            join post r on r.reply_to_id = parent.id
                            join thread t on t.id = r.thread_id
                            where r.deleted_at is null and not r.held and r.pseudonym is distinct from me.pseudonym
                              and (r.author_id is null or r.author_id <> $3)
                              and r.created_at > now() - make_interval(days => $4)
                            order by r.created_at desc, r.id desc
                            limit $5
                            """, Tuple.of(ids, mine, viewer.id(), lookbackDays, limit),
                            row -> new AnonymousReply(row.getLong("thread_id"), row.getString("title"), row.getLong("id"),
                                    row.getInteger("number"), row.getLong("reply_to_id"), row.getOffsetDateTime("created_at")));
                });
    }

    /** A member's notifications, newest first (the page comes with following and digests). */
    public Uni<java.util.List<Notification>> recent(Viewer viewer, int limit) {
        return db.list("""
                select n.id, n.kind, n.thread_id, t.title, n.post_id, a.name as actor_name, n.created_at, n.read_at
                from notification n join thread t on t.id = n.thread_id join channel c on c.id = t.channel_id
                left join member a on a.id = n.actor_id
                where n.member_id = $1 and %s
                order by n.created_at desc, n.id desc limit $3
                """.formatted(visibleChannel("c", 1, 2)), Tuple.of(viewer.id(), viewer.isAdmin(), limit),
                row -> new Notification(row.getLong("id"), row.getString("kind"), row.getLong("thread_id"),
                        row.getString("title"), row.getLong("post_id"), row.getString("actor_name"),
                        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("read_at") != null));
    }
}
