package org.roundtable.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.web.DomainException;

/**
 * Links the app hands out and later trusts without a login (one-click unsubscribe, invitations): a JWT signed with
 * HS256 under {@code roundtable.tokens.secret}, bound to one purpose and expiring. A token made for one purpose is
 * refused for every other.
 */
@ApplicationScoped
public class SignedLinks {

    public static final String PURPOSE = "purpose";

    private final SecretKey key;
    private final DefaultJWTParser parser = new DefaultJWTParser();

    public SignedLinks(@ConfigProperty(name = "roundtable.tokens.secret") Optional<String> secret) {
        byte[] bytes = secret.filter(s -> !s.isBlank()).map(SignedLinks::decode).orElse(null);
        if (bytes == null) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException("roundtable.tokens.secret (ROUNDTABLE_TOKENS_SECRET) is not set: signed "
                        + "links need a secret of at least 32 bytes (e.g. `openssl rand -hex 32`). Refusing to start.");
            }
            bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            Log.warn("No roundtable.tokens.secret set: signing links with a random key of this process only (dev/test).");
        }
        if (bytes.length < 32) {
            throw new IllegalStateException("roundtable.tokens.secret is too short: it needs at least 32 bytes "
                    + "(64 hex characters). Refusing to start.");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    public String sign(String purpose, Map<String, Object> claims, Duration ttl) {
        JwtClaimsBuilder builder = Jwt.claims(new HashMap<>(claims)).claim(PURPOSE, purpose).expiresIn(ttl);
        return builder.jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.HS256).sign(key);
    }

    /** The token's claims, when it is ours, unexpired and made for this purpose; otherwise a clear refusal. */
    public Map<String, Object> verify(String token, String purpose) {
        if (token == null || token.isBlank()) {
            throw invalid("The link has no token.");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.verify(token.strip(), key);
        } catch (ParseException e) {
            boolean expired = false;
            for (Throwable t = e; t != null && !expired; t = t.getCause()) {
                expired = String.valueOf(t.getMessage()).contains("Expiration Time");
            }
            throw invalid(expired ? "This link has expired." : "This link is not valid: it was changed or not made by Roundtable.");
        }
        if (!purpose.equals(jwt.getClaim(PURPOSE))) {
            throw invalid("This link was made for something else.");
        }
        Map<String, Object> claims = new HashMap<>();
        for (String name : jwt.getClaimNames()) {
            Object value = jwt.getClaim(name);
            claims.put(name, value instanceof jakarta.json.JsonString s ? s.getString()
                    : value instanceof jakarta.json.JsonNumber n ? (Object) n.longValue() : value);
        }
        return claims;
    }

    private static DomainException invalid(String detail) {
        return new InvalidLink(detail);
    }

    /** A link that cannot be trusted: answered 400 with the reason. */
    public static final class InvalidLink extends DomainException {
        InvalidLink(String detail) {
            super(400, "This link does not work", detail, null);
        }
    }

    private static byte[] decode(String value) {
        String v = value.strip();
        if (v.matches("[0-9a-fA-F]+") && v.length() % 2 == 0) {
            return HexFormat.of().parseHex(v);
        }
        return Base64.getDecoder().decode(v);
    }
}
