package org.roundtable.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.problem.DomainException;

/**
 * Links that work without a login (one-click unsubscribe): a purpose-bound, expiring token of {@link SignedTokens},
 * refused with a clear reason a person can read. A token made for one purpose is refused for every other.
 */
@ApplicationScoped
public class SignedLinks {

    public static final String PURPOSE = SignedTokens.PURPOSE;

    private final SignedTokens tokens;

    public SignedLinks(SignedTokens tokens) {
        this.tokens = tokens;
    }

    public String sign(String purpose, Map<String, Object> claims, Duration ttl) {
        Instant now = Instant.now();
        return tokens.sign(purpose, UUID.randomUUID().toString(), now, now.plus(ttl), claims);
    }

    /** The token's claims, when it is ours, unexpired and made for this purpose; otherwise a clear refusal. */
    public Map<String, Object> verify(String token, String purpose) {
        if (token == null || token.isBlank()) {
            throw new InvalidLink("The link has no token.");
        }
        JsonWebToken jwt;
        try {
            jwt = tokens.verify(token, purpose);
        } catch (SignedTokens.RefusedToken refused) {
            throw new InvalidLink(switch (refused.refusal()) {
                case EXPIRED -> "This link has expired.";
                case WRONG_PURPOSE -> "This link was made for something else.";
                case INVALID -> "This link is not valid: it was changed or not made by Roundtable.";
            });
        }
        Map<String, Object> claims = new HashMap<>();
        for (String name : jwt.getClaimNames()) {
            Object value = jwt.getClaim(name);
            claims.put(name, value instanceof jakarta.json.JsonString s ? s.getString()
                    : value instanceof jakarta.json.JsonNumber n ? (Object) n.longValue() : value);
        }
        return claims;
    }

    /** A link that cannot be trusted: answered 400 with the reason. */
    public static final class InvalidLink extends DomainException {
        InvalidLink(String detail) {
            super(400, "This link does not work", detail, null);
        }
    }
}
