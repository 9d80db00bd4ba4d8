package org.roundtable.insight;

import org.roundtable.security.Guardian;

/**
 * Every visibility rule the insight pages use, and the only class of this package that calls {@link Guardian}: the SQL
 * fragments below take their parameters by number (Guardian's expression forms), and the statements of
 * {@link InsightService} number them to match.
 * (Kept in one place so that a change of Guardian's calling convention touches one file.)
 */
final class InsightVisibility {

    private InsightVisibility() {
    }

    /** A thread (alias t) that is not removed: what every count of the page counts, for every viewer. */
    static String countedThread() {
        return Guardian.visibleThread("t");
    }

    /**
     * A channel (alias c) whose threads the viewer may open: the unanswered questions are listed with their title and
     * link only there (a network facilitator sees a cohort's figures, not its threads). Viewer id and admin flag are
     * the statement's parameters {@code viewerParam} and {@code adminParam}.
     */
    static String readableChannel(int viewerParam, int adminParam) {
        return Guardian.visibleChannel("c", "$" + viewerParam, "$" + adminParam);
    }

    /** The cohort (alias co) is one the viewer may know of (a member, or an admin). */
    static String knowsCohort(int viewerParam, int adminParam) {
        return Guardian.visibleCohort("co", "$" + viewerParam, "$" + adminParam);
    }

    /**
     * The viewer is one of the cohort's (alias co) own facilitators (pass a parameter that is false for the admin flag:
     * being an admin does not make one the cohort's facilitator). Only they see the names of members who have not
     * visited.
     */
    static String facilitatesCohort(int viewerParam, int falseParam) {
        return Guardian.facilitatesCohort("co", "$" + viewerParam, "$" + falseParam);
    }
}
