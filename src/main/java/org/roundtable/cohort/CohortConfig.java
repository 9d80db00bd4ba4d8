package org.roundtable.cohort;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Cohort settings (docs/operations.md). */
@ConfigMapping(prefix = "roundtable.cohorts")
public interface CohortConfig {

    /**
     * Whether facilitators may make invitation links for anyone (no email, no member named): whoever logs in with the
     * link joins, once. Off: every invitation names an email address or a member, and only they can accept it.
     */
    @WithDefault("true")
    boolean linkInvitations();

    /** How long an invitation link is valid (days). */
    @WithDefault("14")
    int invitationDays();
}
