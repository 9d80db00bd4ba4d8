package org.roundtable.member;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.security.Viewer;

/**
 * What a Keycloak token says about a member; the key is the token's subject. {@code email} is the verified address
 * only (null otherwise). {@code groups} are the Keycloak groups
 * of the token's {@code groups} claim (cohorts linked to a group follow them), or null when the token has no such
 * claim (then cohort memberships are left as they are). Groups never become roles: roles are realm roles only.
 */
public record MemberClaims(String subject, String username, String name, String email, Set<String> roles,
        String title, String school, String district, long issuedAt, Set<String> groups) {

    public static final String GROUPS = "groups";

    public static MemberClaims from(JsonWebToken token, Set<String> tokenRoles) {
        String username = firstNonBlank(token.getClaim("preferred_username"), token.getSubject());
        String name = firstNonBlank(token.getClaim("name"), username);
        Set<String> roles = new TreeSet<>(tokenRoles);
        roles.retainAll(Viewer.KNOWN_ROLES);
        return new MemberClaims(token.getSubject(), username, name, verifiedEmail(token), Set.copyOf(roles),
                token.getClaim("title"), token.getClaim("school"), token.getClaim("district"), token.getIssuedAtTime(),
                groups(token));
    }

    /** Two tokens with the same key say the same thing about the member (then the row needs no update). */
    String cacheKey() {
        return String.join("\u0000", subject, username, name, String.valueOf(email), String.valueOf(title),
                String.valueOf(school), String.valueOf(district), String.join(",", new TreeSet<>(roles)),
                groups == null ? "\u0001" : String.join(",", new TreeSet<>(groups)));
    }

    private static Set<String> groups(JsonWebToken token) {
        if (!token.containsClaim(GROUPS)) {
            return Set.of();
        }
        Object claim = token.getClaim(GROUPS);
        Set<String> groups = new TreeSet<>();
        if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                // Matched exactly as sent: the group's name (the realm's mapper sends names, not full paths).
                String group = value instanceof JsonString s ? s.getString() : String.valueOf(value);
                if (!group.isBlank()) {
                    groups.add(group);
                }
            }
        } else if (claim instanceof JsonString s) {
            groups.add(s.getString());
        } else if (claim instanceof String s && !s.isBlank()) {
            groups.add(s);
        }
        return Set.copyOf(groups);
    }

    /**
     * The token's {@code email} when Keycloak says it is verified ({@code email_verified: true}), else null: an address
     * the member has not proved to own is not theirs here. It is what an invitation by email is matched against and
     * where mail goes, so an unverified address neither joins a cohort invited by email nor makes Roundtable mail
     * someone else.
     */
    static String verifiedEmail(JsonWebToken token) {
        Object verified = token.getClaim("email_verified");
        boolean yes = Boolean.TRUE.equals(verified) || JsonValue.TRUE.equals(verified)
                || "true".equals(verified instanceof JsonString s ? s.getString() : verified);
        Object email = token.getClaim("email");
        String address = email instanceof JsonString s ? s.getString() : email instanceof String s ? s : null;
        return yes && address != null && !address.isBlank() ? address : null;
    }

    private static String firstNonBlank(Object preferred, String fallback) {
        return preferred instanceof String s && !s.isBlank() ? s : fallback;
    }
}
