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

    public NotificationService(Database db) {
        this.db = db;
    }

    public Uni<Void> mentioned(SqlConnection conn, Viewer actor, long threadId, long postId, Set<String> usernames) {
        if (usernames.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.execute(conn, """
                insert into notification (member_id, kind, thread_id, post_id, actor_id)
                select m.id, 'mention', t.id, $3, $4
                from member m join thread t on t.id = $2 join channel c on c.id = t.channel_id
                where lower(m.username) = any($1) and m.id <> $4 and %s
                  and not exists (select 1 from notification n where n.member_id = m.id and n.post_id = $3 and n.kind = 'mention')
                """.formatted(VISIBLE_TO_M), Tuple.of(usernames.toArray(String[]::new), threadId, postId, actor.id()))
                .replaceWithVoid();
    }

    public Uni<Void> replied(SqlConnection conn, Viewer actor, long threadId, long postId, Long parentAuthor) {
        return notifyMember(conn, "reply", actor, threadId, postId, parentAuthor);
    }

    public Uni<Void> answerAccepted(SqlConnection conn, Viewer actor, long threadId, long postId, Long answerAuthor) {
        return notifyMember(conn, "answer_accepted", actor, threadId, postId, answerAuthor);
    }

    private Uni<Void> notifyMember(SqlConnection conn, String kind, Viewer actor, long threadId, long postId, Long memberId) {
        if (memberId == null || memberId == actor.id()) {
            return Uni.createFrom().voidItem();
        }
        return db.execute(conn, """
                insert into notification (member_id, kind, thread_id, post_id, actor_id)
                select m.id, $1, t.id, $3, $4
                from member m join thread t on t.id = $2 join channel c on c.id = t.channel_id
                where m.id = $5 and %s
                """.formatted(VISIBLE_TO_M), Tuple.of(kind, threadId, postId, actor.id(), memberId))
                .replaceWithVoid();
    }

    public record Notification(long id, String kind, long threadId, String threadTitle, Long postId, String actorName,
            java.time.OffsetDateTime createdAt, boolean read) {
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
