package org.roundtable.member;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Member settings (docs/operations.md). */
@ConfigMapping(prefix = "roundtable.members")
public interface MemberConfig {

    /**
     * The origins (space separated, e.g. {@code https://pictures.example.org}) whose pictures a member's face may show:
     * the identity provider's {@code picture} claim is kept only when it is an https address of one of them. The same
     * property is in the Content-Security-Policy's {@code img-src}. Unset: no pictures, initials only.
     */
    Optional<String> pictureOrigins();

    /**
     * The picture to keep from a token's {@code picture} claim: an https address of an allowed origin, without user
     * information, of at most 1000 characters; null for anything else.
     */
    default String acceptedPicture(String claim) {
        if (claim == null || claim.length() > 1000 || pictureOrigins().isEmpty()
                || !claim.regionMatches(true, 0, "https://", 0, 8) || claim.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return null;
        }
        Set<String> allowed = Arrays.stream(pictureOrigins().get().strip().split("\\s+"))
                .map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", "")).collect(Collectors.toSet());
        try {
            URI uri = new URI(claim);
            if (uri.getHost() == null || uri.getRawUserInfo() != null || !"https".equalsIgnoreCase(uri.getScheme())) {
                return null;
            }
            String origin = "https://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            return allowed.contains(origin) ? claim : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
