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
import java.util.Map;
import org.roundtable.audit.AuditEntry;
import org.roundtable.audit.AuditLog;
import org.roundtable.db.Database;
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

    public ThreadModeration(Database db, PostDestroyer destroyer, AuditLog auditLog) {
        this.db = db;
        this.destroyer = destroyer;
        this.auditLog = auditLog;
    }

    // ---------------------------------------------------------------- threads

    private static final String THREAD_FOR_MODERATION = """
            select t.id, t.title, t.locked_at, t.pinned_at, t.closed_at, t.channel_id, c.cohort_id, c.kind, c.slug,
                   %s as moderator
            from thread t join channel c on c.id = t.channel_id
            where t.id = #{thread} and %s and %s
            for update of t
            """.formatted(moderates("c"), visibleThread("t"), visibleChannel("c"));

    private Uni<Row> moderatedThread(SqlConnection conn, Viewer viewer, long threadId) {
        Guardian.requireCanWrite(viewer);
        return db.one(conn, THREAD_FOR_MODERATION, Guardian.binds(viewer).and("thread", threadId), row -> row)
                .map(thread -> {
                    Guardian.ensureCanModerate(thread == null ? null : thread.getBoolean("moderator"), "The thread");
                    return thread;
                });
    }

    // ---------------------------------------------------------------- removing whole threads

    private static final String THREAD_FOR_REMOVAL = """
            select t.id, t.title, t.hidden_at, t.hidden_reason, t.channel_id, c.cohort_id, c.kind, c.slug, %s as moderator
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
                .flatMap(x -> threadAudit(conn, viewer, "thread.delete", thread, why, null, null))));
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
     * Moves a thread to another channel the moderator moderates. Moving cohort content where a wider or another audience
     * reads it needs {@code confirmWiderAudience}.
     */
    public Uni<Void> move(Viewer viewer, long threadId, String targetSlug, boolean confirmWiderAudience, String rawReason) {
        Input.refuseNul("channel", targetSlug, "reason", rawReason);
        String reason = Reasons.reason(rawReason);
        return db.inTransaction(conn -> moderatedThread(conn, viewer, threadId).flatMap(thread -> db.one(conn, """
                select c.id, c.slug, c.cohort_id, c.kind, %s as moderator from channel c where c.slug = #{slug} and %s
                """.formatted(moderates("c"), visibleChannel("c")),
                Guardian.binds(viewer).and("slug", targetSlug == null ? "" : targetSlug), row -> row)
                .flatMap(target -> {
                    if (target == null) {
                        throw DomainException.invalid(java.util.Map.of("channel", "There is no channel \"" + targetSlug + "\" you can see."));
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
                        throw DomainException.conflict("This thread belongs to a cohort; in \"" + target.getString("slug")
                                + "\" people outside that cohort would read it. Confirm the move to a wider audience "
                                + "(confirmWiderAudience) if that is what you want. Nothing was moved.");
                    }
                    if ("undiscussables".equals(thread.getString("kind")) != "undiscussables".equals(target.getString("kind"))) {
                        throw DomainException.conflict("Threads move between the undiscussables and named channels never: "
                                + "their authors chose how they post. Nothing was moved.");
                    }
                    return db.execute(conn, "update thread set channel_id = $2 where id = $1", Tuple.of(threadId, target.getLong("id")))
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
