package org.roundtable.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import org.roundtable.db.Database;

/**
 * THE write of the audit log (as Discourse's StaffActionLogger): every action of admins and facilitators, and of the
 * system on their behalf, is recorded here, by every page, API route and job that acts. Reading the log is
 * {@link AuditLogReader}'s.
 */
@ApplicationScoped
public class AuditLog {

    // An entry that names a pseudonym is stamped with the hour, like everything stored next to a pseudonym
    // (docs/security/anonymity.md); every other entry with the moment.
    private static final String INSERT = """
            insert into audit_entry (actor_id, action, target_type, target_id, target_pseudonym, reason, before, after,
                                     channel_id, created_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, case when $5::text is null then now() else date_trunc('hour', now()) end)
            """;

    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /** Records the entry on the caller's connection, in its transaction ({@code conn} null: on the pool, on its own). */
    public Uni<Void> record(SqlClient conn, AuditEntry entry) {
        Tuple params = Tuple.from(Arrays.asList(entry.actorId(), entry.action(), entry.targetType(), entry.targetId(),
                entry.targetPseudonym(), entry.reason(), entry.before(), entry.after(), entry.channelId()));
        return (conn == null ? db.execute(INSERT, params) : db.execute(conn, INSERT, params)).replaceWithVoid();
    }
}
