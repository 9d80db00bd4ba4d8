package org.roundtable.cohort;

import java.time.OffsetDateTime;

/**
 * A pending invitation to a cohort, as its facilitators see it, with the link to copy. {@code email} or
 * {@code username} names who may accept it; neither: a link for any member. {@code mailed}: whether the mail went out
 * when it was made (null when listed later).
 */
public record Invitation(long id, String cohort, String email, String username, String name, String invitedBy,
        OffsetDateTime createdAt, OffsetDateTime expiresAt, String link, Boolean mailed) {

    public boolean forAnyone() {
        return email == null && username == null;
    }
}
