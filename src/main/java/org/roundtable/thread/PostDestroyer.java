package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/**
 * THE deletion of posts and threads (Discourse's PostDestroyer): the author's delete and withdrawal, and a
 * facilitator's deletion of a post (the review queue, a refused held post) or of a whole thread. Deletions are soft:
 * the row stays, marked, and leaves what members see. What is stored on an anonymous post or thread by its author's
 * act, or on an anonymous post by anyone's, is the hour, not the moment (docs/security/anonymity.md, "Time and order").
 */
@ApplicationScoped
public class PostDestroyer {

    /**
     * A post's deletion: the time (an anonymous post's hour), the reason ($2; null for its author's delete) and, when it
     * was the accepted answer, the thread's answer cleared.
     */
    private static final String DELETE_POST = """
            with t as (update thread set accepted_post_id = null where accepted_post_id = $1)
            update post set deleted_at = case when pseudonym is null then now() else date_trunc('hour', now()) end,
                   deleted_reason = $2
            where id = $1
            """;

    /** The author's withdrawal of their thread: an anonymous thread's stores the hour. */
    private static final String WITHDRAW_THREAD = """
            update thread set withdrawn = true,
                   deleted_at = case when author_pseudonym is null then now() else date_trunc('hour', now()) end
            where id = $1
            """;

    /** A facilitator's deletion of a thread, with the reason: the facilitator's act, stored with its moment. */
    private static final String DELETE_THREAD = "update thread set deleted_at = now(), deleted_reason = $2 where id = $1";

    private final Database db;
    private final Authorship authorship;

    PostDestroyer(Database db, Authorship authorship) {
        this.db = db;
        this.authorship = authorship;
    }

    /** Soft-deletes the viewer's own post; the tree keeps a "deleted" placeholder. */
    public Uni<Void> delete(Viewer viewer, long postId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> authorship.lockOwnPost(conn, viewer, postId).flatMap(post -> deletePost(conn, postId, null))).replaceWithVoid();
    }

    /**
     * The author withdraws their thread (named, or anonymous by recomputing the pseudonym): its title and posts leave
     * every list, count, digest and notification, as a facilitator's deletion does; its facilitators still see it,
     * marked "withdrawn by its author". An anonymous thread's withdrawal stores the hour, not the moment. Returns the
     * slug of the thread's channel (where the author goes next). Refuses: a thread the viewer may not see, or already
     * removed (404); someone else's thread (403).
     */
    public Uni<String> withdraw(Viewer viewer, long threadId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> db.one(conn, """
                select t.id, t.author_id, t.author_pseudonym, c.slug
                from thread t join channel c on c.id = t.channel_id
                where t.id = #{thread} and %s and %s
                for update of t
                """.formatted(visibleThread("t"), visibleChannel("c")), Guardian.binds(viewer).and("thread", threadId),
                row -> row).flatMap(thread -> {
                    Guardian.ensureFound(thread, "The thread");
                    Guardian.ensureAuthor(authorship.wrote(viewer, thread.getLong("author_id"), thread.getString("author_pseudonym"), threadId),
                            "Only the person who started a thread can withdraw it.");
                    return db.execute(conn, WITHDRAW_THREAD, Tuple.of(threadId)).replaceWith(thread.getString("slug"));
                }));
    }

    /**
     * A facilitator's deletion of a post, with the reason, in the caller's transaction (which has checked that they
     * moderate it, and locked it). A held post refused for publication is deleted so too: held posts are anonymous, so
     * it stores the hour.
     */
    public Uni<Void> deleteAsModerator(SqlConnection conn, long postId, String reason) {
        return deletePost(conn, postId, reason);
    }

    /** A facilitator's deletion of a whole thread, with the reason, in the caller's transaction (which checked it). */
    public Uni<Void> deleteThreadAsModerator(SqlConnection conn, long threadId, String reason) {
        return db.execute(conn, DELETE_THREAD, Tuple.of(threadId, reason)).replaceWithVoid();
    }

    private Uni<Void> deletePost(SqlConnection conn, long postId, String reason) {
        return db.execute(conn, DELETE_POST, Tuple.of(postId, reason)).replaceWithVoid();
    }
}
