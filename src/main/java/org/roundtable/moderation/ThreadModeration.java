package org.roundtable.moderation;

import static org.roundtable.security.Guardian.moderates;
import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.roundtable.audit.AuditEntry;
import org.roundtable.audit.AuditLog;
import org.roundtable.db.Database;
import org.roundtable.notification.NotificationService;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.thread.PostDestroyer;
import org.roundtable.thread.ThreadState;
import org.roundtable.web.Input;

/**
 * What facilitators do to whole threads: lock, pin and close them (and undo it), move them between channels they
 * moderate, hide them and show them again, delete them. Scoped to what they moderate, every act audited.
 */
@ApplicationScoped
public class ThreadModeration {

    private final Database db;
    private final PostDestroyer destroyer;
    private final AuditLog auditLog;
    private final NotificationService notifications;

    public ThreadModeration(Database db, PostDestroyer destroyer, AuditLog auditLog, NotificationService notifications) {
        this.db = db;
        this.destroyer = destroyer;
        this.auditLog = auditLog;
        this.notifications = notifications;
    }

    // ---------------------------------------------------------------- threads

    /** The thread as its moderation reads it, when the viewer may see it (and whether they moderate it). */
    private static final String THREAD_FOR_MODERATION = """
            select t.id, t.title, t.locked_at, t.pinned_at, t.closed_at, t.channel_id, t.author_id, t.author_pseudonym,
                   c.cohort_id, c.kind, c.slug, %s as moderator
            from thread t join channel c on c.id = t.channel_id
            where t.id = #{thread} and %s and %s
            """.formatted(moderates("c"), visibleThread("t"), visibleChannel("c"));

    /** The same, the thread's row locked until the transaction ends: for the acts that change it. */
    private static final String THREAD_LOCKED_FOR_MODERATION = THREAD_FOR_MODERATION + "for update of t\n";

    /** The thread, locked, when the viewer moderates it; 404 when they cannot see it, 403 when they only can. */
    private Uni<Row> moderatedThread(SqlConnection conn, Viewer viewer, long threadId) {
        Guardian.requireCanWrite(viewer);
        return db.one(conn, THREAD_LOCKED_FOR_MODERATION, Guardian.binds(viewer).and("thread", threadId), row -> row)
                .map(ThreadModeration::moderated);
    }

    /** {@link #moderatedThread}, read without a lock (for the move dialog, a GET): refused alike. */
    private Uni<Row> moderatedThreadRead(Viewer viewer, long threadId) {
        Guardian.requireCanWrite(viewer);
        return db.one(THREAD_FOR_MODERATION, Guardian.binds(viewer).and("thread", threadId), row -> row)
                .map(ThreadModeration::moderated);
    }

    /** The thread read, when the viewer moderates it: 404 when it is not there for them, 403 when they do not moderate it. */
    private static Row moderated(Row thread) {
        Guardian.ensureCanModerate(thread == null ? null : thread.getBoolean("moderator"), "The thread");
        return thread;
    }

    // ---------------------------------------------------------------- removing whole threads

    private static final String THREAD_FOR_REMOVAL = """
            select t.id, t.title, t.hidden_at, t.hidden_reason, t.channel_id, t.author_id, t.author_pseudonym, c.cohort_id,
                   c.kind, c.slug, %s as moderator
            from thread t join channel c on c.id = t.channel_id
            where t.id = #{thread} and t.deleted_at is null and %s and %s
            for update of t
            """.formatted(moderates("c"), Guardian.visibleThread("t", "c"), visibleChannel("c"));

    /**
     * Hides a whole thread ({@code hidden} true, with a reason) or shows it again (false; the reason is optional): a
     * hidden thread's title and posts leave every list, count, digest and notification of members; the channel's
     * moderators still see it, marked with the reason. Audited. Refuses: a thread the viewer may not see or that is
     * deleted (404); a channel they do not moderate (403); no reason to hide (400); hiding a hidden thread or showing a
     * shown one (409).
     */
    public Uni<Void> hideThread(Viewer viewer, long threadId, String reason, boolean hidden) {
        Guardian.requireCanWrite(viewer);
        String why = Reasons.removalReason(reason, hidden);
        return db.inTransaction(conn -> removableThread(conn, viewer, threadId).flatMap(thread -> {
            boolean isHidden = thread.getOffsetDateTime("hidden_at") != null;
            if (isHidden == hidden) {
                throw DomainException.conflict(hidden ? "This thread is already hidden." : "This thread is not hidden.");
            }
            Uni<?> change = hidden
                    ? db.execute(conn, "update thread set hidden_at = now(), hidden_reason = $2 where id = $1",
                            Tuple.of(threadId, why))
                    : db.execute(conn, "update thread set hidden_at = null, hidden_reason = null where id = $1",
                            Tuple.of(threadId));
            return change
                    .flatMap(x -> hidden ? tellAuthor(conn, viewer, thread, "hid your thread", why, false)
                            : Uni.createFrom().voidItem())
                    .flatMap(x -> threadAudit(conn, viewer, hidden ? "thread.hide" : "thread.unhide", thread, why,
                            hidden ? null : new JsonObject().put("hiddenReason", thread.getString("hidden_reason")), null));
        }));
    }

    /**
     * Deletes a whole thread, with a reason: like a hidden thread it leaves everything members see, for good (nothing
     * shows it again); the channel's moderators still see it, marked. Audited. Refuses as {@link #hideThread}.
     */
    public Uni<Void> deleteThread(Viewer viewer, long threadId, String reason) {
        Guardian.requireCanWrite(viewer);
        String why = Reasons.removalReason(reason, true);
        return db.inTransaction(conn -> removableThread(conn, viewer, threadId).flatMap(thread -> destroyer
                .deleteThreadAsModerator(conn, threadId, why)
                .flatMap(x -> tellAuthor(conn, viewer, thread, "deleted your thread", why, false))
                .flatMap(x -> threadAudit(conn, viewer, "thread.delete", thread, why, null, null))));
    }

    /**
     * Tells the author of the thread what a facilitator did to it ({@code did}: "hid your thread", ...), naming the
     * thread, with the reason they gave ({@code why}, may be null), through the one writer of these notifications,
     * {@link NotificationService#tellAuthor} (who is told and who never is). The thread's author only: the authors of
     * replies in it did nothing to cause it. A removed thread leaves every notification that points at it, so the
     * notification points at none ({@code linked} false) and names the thread in its sentence; a moved one points at the
     * thread when its author can still open it there.
     */
    private Uni<Void> tellAuthor(SqlConnection conn, Viewer viewer, Row thread, String did, String why, boolean linked) {
        return tellAuthor(conn, viewer, thread, did, why, linked, null);
    }

    /** {@link #tellAuthor}, the sentence ending with where the thread went ({@code to}: a channel's name; null: none). */
    private Uni<Void> tellAuthor(SqlConnection conn, Viewer viewer, Row thread, String did, String why, boolean linked,
            String to) {
        return notifications.tellAuthor(conn, viewer, NotificationService.Moderated.thread(thread.getLong("author_id"),
                thread.getString("author_pseudonym"), thread.getLong("id"), linked),
                "A facilitator " + did + " \u201c" + thread.getString("title") + "\u201d"
                        + (to == null ? "" : " to \u201c" + to + "\u201d"), why);
    }

    private Uni<Row> removableThread(SqlConnection conn, Viewer viewer, long threadId) {
        return db.one(conn, THREAD_FOR_REMOVAL, Guardian.binds(viewer).and("thread", threadId),
                row -> row).map(thread -> {
                    Guardian.ensureCanModerate(thread == null ? null : thread.getBoolean("moderator"), "The thread");
                    return thread;
                });
    }

    /** Sets ({@code on}) or clears a thread state. Audited ("thread.lock", "thread.unpin", ...). */
    public Uni<Void> threadState(Viewer viewer, long threadId, ThreadState state, boolean on, String reason) {
        String column = state.column();
        return db.inTransaction(conn -> moderatedThread(conn, viewer, threadId).flatMap(thread -> db.execute(conn,
                "update thread set " + column + " = " + (on ? "coalesce(" + column + ", now())" : "null") + " where id = $1",
                Tuple.of(threadId))
                .flatMap(x -> threadAudit(conn, viewer, "thread." + (on ? "" : "un") + state.verb(), thread, reason, null, null))));
    }

    /**
     * A channel a thread may be moved into ({@link #moveTargets}): its address, name, its cohort's name (null for the
     * network's), and {@code widens}: people outside the thread's cohort would read it there, so the move asks to be
     * confirmed.
     */
    public record MoveTarget(String slug, String name, String cohort, boolean widens) {
    }

    /**
     * The channels the viewer may move the thread into, in the order of the channel list: the ones {@link #move} would
     * not refuse (those they see and moderate, not the thread's own, of the same sort: the undiscussables to the
     * undiscussables, named channels to named ones). Refuses as {@link #move}: 404 for a thread the viewer may not
     * see, 403 when they do not moderate it. A read (the move dialog, a GET): it takes no lock, and waits for none.
     */
    public Uni<List<MoveTarget>> moveTargets(Viewer viewer, long threadId) {
        return moderatedThreadRead(viewer, threadId).flatMap(thread -> db.list("""
                select c.slug, c.name, co.name as cohort,
                       (#{from}::bigint is not null and c.cohort_id is distinct from #{from}) as widens
                from channel c left join cohort co on co.id = c.cohort_id
                where c.id <> #{channel} and (c.kind = 'undiscussables') = #{undiscussables} and %s and %s
                order by c.cohort_id nulls first, c.name, c.id
                """.formatted(visibleChannel("c"), moderates("c")),
                Guardian.binds(viewer).and("from", thread.getLong("cohort_id")).and("channel", thread.getLong("channel_id"))
                        .and("undiscussables", "undiscussables".equals(thread.getString("kind"))),
                row -> new MoveTarget(row.getString("slug"), row.getString("name"), row.getString("cohort"),
                        row.getBoolean("widens"))));
    }

    /**
     * Moves a thread to another channel the moderator moderates, with a reason (optional) that its author is told.
     * Moving cohort content where a wider or another audience reads it needs {@code confirmWiderAudience}. Refuses: a
     * thread the viewer may not see (404); a channel they cannot see (400 on "channel"); one they do not moderate
     * (403); the thread's own channel, a wider audience unconfirmed, or a move between the undiscussables and named
     * channels (409).
     */
    public Uni<Void> move(Viewer viewer, long threadId, String targetSlug, boolean confirmWiderAudience, String rawReason) {
        Input.refuseNul("channel", targetSlug, "reason", rawReason);
        String reason = Reasons.reason(rawReason);
        return db.inTransaction(conn -> moderatedThread(conn, viewer, threadId).flatMap(thread -> db.one(conn, """
                select c.id, c.slug, c.name, c.cohort_id, c.kind, %s as moderator from channel c where c.slug = #{slug} and %s
                """.formatted(moderates("c"), visibleChannel("c")),
                Guardian.binds(viewer).and("slug", targetSlug == null ? "" : targetSlug), row -> row)
                .flatMap(target -> {
                    if (target == null) {
                        throw DomainException.invalid(java.util.Map.of("channel", "There is no such channel that you can see."));
                    }
                    if (!target.getBoolean("moderator")) {
                        throw DomainException.forbidden("You can only move threads into channels you moderate.");
                    }
                    if (target.getLong("id").equals(thread.getLong("channel_id"))) {
                        throw DomainException.conflict("The thread is already in that channel.");
                    }
                    Long from = thread.getLong("cohort_id");
                    Long to = target.getLong("cohort_id");
                    boolean widens = from != null && !from.equals(to);
                    if (widens && !confirmWiderAudience) {
                        throw DomainException.conflict("This thread belongs to a cohort; in \"" + target.getString("name")
                                + "\" people outside that cohort would read it. Confirm the move to a wider audience "
                                + "if that is what you want. Nothing was moved.");
                    }
                    if ("undiscussables".equals(thread.getString("kind")) != "undiscussables".equals(target.getString("kind"))) {
                        throw DomainException.conflict("Threads move between the undiscussables and named channels never: "
                                + "their authors chose how they post. Nothing was moved.");
                    }
                    // The move is kept on the thread (its last one): the author of an anonymous thread finds it there.
                    // On an anonymous thread it is the hour, as what a facilitator's act stores on an anonymous post.
                    return db.execute(conn, """
                            update thread set channel_id = $2, moved_reason = $3,
                                   moved_at = case when author_pseudonym is null then now() else date_trunc('hour', now()) end
                            where id = $1
                            """, Tuple.of(threadId, target.getLong("id"), reason))
                            .flatMap(x -> tellAuthor(conn, viewer, thread, "moved your thread", reason, true,
                                    target.getString("name")))
                            .flatMap(x -> threadAudit(conn, viewer, "thread.move", thread, reason,
                                    new JsonObject().put("channel", thread.getString("slug")),
                                    new JsonObject().put("channel", target.getString("slug"))));
                })));
    }

    private Uni<Void> threadAudit(SqlConnection conn, Viewer actor, String action, Row thread, String reason,
            JsonObject before, JsonObject after) {
        return auditLog.record(conn, AuditEntry.of(actor.id(), action, "thread", String.valueOf(thread.getLong("id")))
                .withReason(reason).withChange(before, after).inChannel(thread.getLong("channel_id")));
    }
}
