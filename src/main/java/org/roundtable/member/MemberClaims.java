package org.roundtable.member;

import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.security.Viewer;

/** What a Keycloak token says about a member; the key is the token's subject. */
public record MemberClaims(String subject, String username, String name, String email, Set<String> roles,
        String title, String school, String district, long issuedAt) {

    public static MemberClaims from(JsonWebToken token, Set<String> tokenRoles) {
        String username = firstNonBlank(token.getClaim("preferred_username"), token.getSubject());
        String name = firstNonBlank(token.getClaim("name"), username);
        Set<String> roles = new TreeSet<>(tokenRoles);
        roles.retainAll(Viewer.KNOWN_ROLES);
        return new MemberClaims(token.getSubject(), username, name, token.getClaim("email"), Set.copyOf(roles),
                token.getClaim("title"), token.getClaim("school"), token.getClaim("district"), token.getIssuedAtTime());
    }

    /** Two tokens with the same key say the same thing about the member (then the row needs no update). */
    String cacheKey() {
        return String.join("\u0000", subject, username, name, String.valueOf(email), String.valueOf(title),
                String.valueOf(school), String.valueOf(district), String.join(",", new TreeSet<>(roles)));
    }

    private static String firstNonBlank(Object preferred, String fallback) {
        return preferred instanceof String s && !s.isBlank() ? s : fallback;
    }
}
