package org.roundtable.moderation;

import static org.roundtable.security.Guardian.moderates;

import io.smallrye.mutiny.Uni;
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

    /** SQL: the viewer ({@code #{viewer}}) facilitates at least one cohort. */
    static final String FACILITATES_A_COHORT =
            "exists (select 1 from cohort_member where member_id = #{viewer} and role = 'facilitator')";

    /** Facilitators (of the network or of a cohort) and admins pass; everyone else is refused. */
    public Uni<Void> requireFacilitator(Viewer viewer) {
        Guardian.requireCanWrite(viewer);
        if (viewer.isAdmin() || viewer.isNetworkFacilitator()) {
            return Uni.createFrom().voidItem();
        }
        return db.one("select " + FACILITATES_A_COHORT + " as f", Guardian.binds(viewer), row -> row.getBoolean("f"))
                .map(facilitator -> {
                    if (!facilitator) {
                        throw DomainException.forbidden("This is for facilitators and admins.");
                    }
                    return null;
                });
    }
}
