package org.roundtable.security;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Who is asking: the member behind a request, resolved once per token by {@code member.MemberIdentityAugmentor}.
 * A guest is {@link #GUEST}. Pages and services take a viewer, never a raw token.
 */
public record Viewer(long id, String username, String name, String email, Set<String> roles,
        OffsetDateTime suspendedUntil, String suspensionReason, ZoneId zone) {

    /** A viewer whose times are shown in UTC (no time zone chosen in their preferences). */
    public Viewer(long id, String username, String name, String email, Set<String> roles,
            OffsetDateTime suspendedUntil, String suspensionReason) {
        this(id, username, name, email, roles, suspendedUntil, suspensionReason, ZoneOffset.UTC);
    }

    public Viewer {
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    public static final String ATTRIBUTE = "roundtable.viewer";
    public static final Viewer GUEST = new Viewer(0, "", "Guest", null, Set.of(), null, null);

    public static final String MEMBER = "member";
    public static final String FACILITATOR = "facilitator";
    public static final String ADMIN = "admin";
    /** The realm roles Roundtable knows; Keycloak's own default roles are left out. */
    public static final Set<String> KNOWN_ROLES = Set.of(MEMBER, FACILITATOR, ADMIN);

    public boolean isGuest() {
        return id == 0;
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    /** A network facilitator (realm role); cohort facilitators are per cohort, in the database. */
    public boolean isNetworkFacilitator() {
        return roles.contains(FACILITATOR) || isAdmin();
    }

    public boolean isSuspended() {
        return suspendedUntil != null && suspendedUntil.isAfter(OffsetDateTime.now());
    }
}
