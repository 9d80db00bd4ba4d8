package org.roundtable.member;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.security.Viewer;
import org.roundtable.text.TextRules;

/**
 * What a Keycloak token says about a member; the key is the token's subject. {@code email} is the verified address
 * only (null otherwise). {@code groups} are the Keycloak groups
 * of the token's {@code groups} claim (cohorts linked to a group follow them), or null when the token has no such
 * claim (then cohort memberships are left as they are). Groups never become roles: roles are realm roles only.
 * {@code picture} is the token's {@code picture} claim as it came (MemberConfig#acceptedPicture decides what is kept).
 */
public record MemberClaims(String subject, String username, String name, String email, Set<String> roles,
        String title, String school, String district, long issuedAt, Set<String> groups, String picture) {

    public static final String GROUPS = "groups";

    /**
     * What the token says, made fit to show (the token cannot be refused like a form): names and profile lines are one
     * line, without invisible ends ({@link TextRules}). A display name with nothing visible in it (blank, or only
     * invisible characters such as U+200B or U+00A0) shows as the username; a username with nothing visible, as the
     * token's subject. Profile lines (title, school, district) with nothing visible are left out.
     */
    public static MemberClaims from(JsonWebToken token, Set<String> tokenRoles) {
        String username = TextRules.displayName(string(token.getClaim("preferred_username")), token.getSubject());
        String name = TextRules.displayName(string(token.getClaim("name")), username);
        Set<String> roles = new TreeSet<>(tokenRoles);
        roles.retainAll(Viewer.KNOWN_ROLES);
        return new MemberClaims(token.getSubject(), username, name, verifiedEmail(token), Set.copyOf(roles),
                line(token.getClaim("title")), line(token.getClaim("school")), line(token.getClaim("district")),
                token.getIssuedAtTime(), groups(token), string(token.getClaim("picture")));
    }

    private static String string(Object claim) {
        return claim instanceof String s ? s : claim instanceof JsonString s ? s.getString() : null;
    }

    /** A profile line to show, or null when nothing of it is visible. */
    static String line(Object claim) {
        String value = string(claim);
        return TextRules.isBlank(value) ? null : TextRules.strip(TextRules.oneLine(value));
    }

    /** Two tokens with the same key say the same thing about the member (then the row needs no update). */
    String cacheKey() {
        return String.join("\u0000", subject, username, name, String.valueOf(email), String.valueOf(title),
                String.valueOf(school), String.valueOf(district), String.join(",", new TreeSet<>(roles)),
                groups == null ? "\u0001" : String.join(",", new TreeSet<>(groups)), String.valueOf(picture));
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
        String address = string(token.getClaim("email"));
        return yes && address != null && !address.isBlank() ? address : null;
    }
}
