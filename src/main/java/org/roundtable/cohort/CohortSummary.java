package org.roundtable.cohort;

import java.time.OffsetDateTime;

/**
 * A cohort as the viewer may know it. {@code myRole} is the viewer's role in it, or null
 * (an admin who is not in it). {@code keycloakGroup}: membership follows that Keycloak group when set.
 */
public record CohortSummary(long id, String slug, String name, String description, String keycloakGroup,
        boolean archived, int memberCount, CohortRole myRole, OffsetDateTime createdAt) {

    public boolean managedByIdentityProvider() {
        return keycloakGroup != null;
    }

    public boolean isMember() {
        return myRole != null;
    }

    public boolean isFacilitator() {
        return myRole == CohortRole.FACILITATOR;
    }
}
