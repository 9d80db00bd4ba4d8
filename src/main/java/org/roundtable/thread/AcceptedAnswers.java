package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.roundtable.db.Database;
import org.roundtable.notification.NotificationService;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/** The accepted answer of a thread: chosen by the person who asked (anonymous askers too, by their pseudonym). */
@ApplicationScoped
public class AcceptedAnswers {

    private final Database db;
    private final NotificationService notifications;
    private final Authorship authorship;

    AcceptedAnswers(Database db, NotificationService notifications, Authorship authorship) {
        this.db = db;
        this.notifications = notifications;
        this.authorship = authorship;
    }

    /** The thread's author marks one reply as the answer (or, with postId null, none); anonymous askers too. */
    public Uni<Void> accept(Viewer viewer, long threadId, Long postId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> db.one(conn, """
                select t.id, t.author_id, t.author_pseudonym, t.accepted_post_id, p.id as post_id, p.number, p.deleted_at,
                       p.author_id as post_author
                from thread t join channel c on c.id = t.channel_id
                left join post p on p.id = #{post} and p.thread_id = t.id and not p.held
                where t.id = #{thread} and %s and %s
                for update of t
                """.formatted(visibleThread("t"), visibleChannel("c")),
                Guardian.binds(viewer).and("thread", threadId).and("post", postId == null ? -1L : postId), row -> row)
                .flatMap(thread -> {
                    Guardian.ensureFound(thread, "The thread");
                    Guardian.ensureAuthor(authorship.wrote(viewer, thread.getLong("author_id"), thread.getString("author_pseudonym"), threadId),
                            "Only the person who asked can mark the answer.");
                    if (postId != null && (thread.getLong("post_id") == null || thread.getOffsetDateTime("deleted_at") != null)) {
                        throw DomainException.invalid(Map.of("postId", "That post is not a reply in this thread."));
                    }
                    if (postId != null && thread.getInteger("number") == 1) {
                        throw DomainException.invalid(Map.of("postId", "The question itself cannot be its answer: pick a reply."));
                    }
                    Uni<?> update = db.execute(conn, "update thread set accepted_post_id = $2 where id = $1",
                            Tuple.of(threadId, postId));
                    Long answerAuthor = thread.getLong("post_author");
                    if (postId == null || postId.equals(thread.getLong("accepted_post_id"))) {
                        return update.replaceWithVoid();
                    }
                    Viewer actor = thread.getLong("author_id") == null ? null : viewer;
                    return update.flatMap(x -> notifications.answerAccepted(conn, actor, viewer.id(), threadId, postId, answerAuthor));
                }));
    }
}
