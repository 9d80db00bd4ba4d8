package org.roundtable.moderation;

import static org.roundtable.security.Guardian.moderates;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.roundtable.db.Database;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/** Who moderates anything at all: the review queue and the audit log are theirs. */
@ApplicationScoped
public class Facilitators {

    private final Database db;

    public Facilitators(Database db) {
        this.db = db;
    }

    /** Facilitators (of the network or of a cohort) and admins pass; everyone else is refused. */
    public Uni<Void> requireFacilitator(Viewer viewer) {
        Guardian.requireCanWrite(viewer);
        if (viewer.isAdmin() || viewer.isNetworkFacilitator()) {
            return Uni.createFrom().voidItem();
        }
        return db.one("select exists (select 1 from cohort_member where member_id = $1 and role = 'facilitator') as f",
                Tuple.of(viewer.id()), row -> row.getBoolean("f")).map(facilitator -> {
                    if (!facilitator) {
                        throw DomainException.forbidden("This is for facilitators and admins.");
                    }
                    return null;
                });
    }
}
