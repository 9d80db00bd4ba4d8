package org.roundtable.moderation;

import static org.roundtable.security.Guardian.moderates;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import org.roundtable.audit.AuditLog;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.web.Input;

/**
 * Reading the audit log ({@link AuditLog} writes it): admins read every entry, facilitators the entries about channels
 * they moderate.
 */
@ApplicationScoped
public class AuditLogReader {

    private final Database db;
    private final Facilitators facilitators;

    public AuditLogReader(Database db, Facilitators facilitators) {
        this.db = db;
        this.facilitators = facilitators;
    }


    public record AuditLine(long id, String actor, String action, String targetType, String targetId,
            String targetPseudonym, String reason, String before, String after, String channel, OffsetDateTime createdAt) {
    }

    /**
     * The audit log, newest first: admins see everything; facilitators the entries about channels they moderate.
     * Filters: actor (username), action (prefix), from/to (dates).
     */
    public Uni<List<AuditLine>> audit(Viewer viewer, String actor, String action, OffsetDateTime from, OffsetDateTime to) {
        return facilitators.requireFacilitator(viewer).flatMap(x -> {
            Input.refuseNul("actor", actor, "action", action);
            Input.date("from", from);
            Input.date("to", to);
            return auditQuery(viewer, actor, action, from, to);
        });
    }

    private Uni<List<AuditLine>> auditQuery(Viewer viewer, String actor, String action, OffsetDateTime from, OffsetDateTime to) {
        return db.list("""
                select a.id, m.username, a.action, a.target_type, a.target_id, a.target_pseudonym, a.reason,
                       a.before::text as before, a.after::text as after, c.slug, a.created_at
                from audit_entry a
                left join member m on m.id = a.actor_id
                left join channel c on c.id = a.channel_id
                where (#{admin} or (c.id is not null and %s))
                  and (#{actor}::text is null or lower(m.username) = lower(#{actor}))
                  and (#{action}::text is null or a.action like #{action} || '%%')
                  and (#{from}::timestamptz is null or a.created_at >= #{from})
                  and (#{to}::timestamptz is null or a.created_at < #{to})
                order by a.created_at desc, a.id desc
                limit 500
                """.formatted(moderates("c")),
                Guardian.binds(viewer).and("actor", blankToNull(actor)).and("action", blankToNull(action))
                        .and("from", from).and("to", to),
                row -> new AuditLine(row.getLong("id"), row.getString("username"), row.getString("action"),
                        row.getString("target_type"), row.getString("target_id"), row.getString("target_pseudonym"),
                        row.getString("reason"), row.getString("before"), row.getString("after"), row.getString("slug"),
                        row.getOffsetDateTime("created_at")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
