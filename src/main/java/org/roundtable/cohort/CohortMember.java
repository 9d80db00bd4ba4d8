package org.roundtable.cohort;

import java.time.OffsetDateTime;

/** A member of a cohort, with what the cohort page shows of them. */
public record CohortMember(long id, String username, String name, String title, String school, String district,
        CohortRole role, OffsetDateTime joinedAt) {

    public boolean facilitator() {
        return role == CohortRole.FACILITATOR;
    }

    /** "Principal, Lincoln Elementary (Riverside USD)", from what the member's profile has. */
    public String affiliation() {
        StringBuilder s = new StringBuilder();
        if (title != null && !title.isBlank()) {
            s.append(title);
        }
        if (school != null && !school.isBlank()) {
            s.append(s.isEmpty() ? "" : ", ").append(school);
        }
        if (district != null && !district.isBlank()) {
            s.append(s.isEmpty() ? district : " (" + district + ")");
        }
        return s.toString();
    }
}
