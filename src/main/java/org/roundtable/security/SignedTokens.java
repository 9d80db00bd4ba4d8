package org.roundtable.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Links the app hands out itself, signed with SmallRye JWT (HS256, key {@code roundtable.tokens.secret}). Every token
 * names its purpose, and is refused for any other; it expires. What a token grants is decided by its feature, which
 * also keeps what makes it single-use (the {@code jti}).
 */
@ApplicationScoped
public class SignedTokens {

    public static final String ISSUER = "roundtable";
    public static final String PURPOSE = "purpose";

    /** Why a token was refused. */
    public enum Refusal {
        /** Not a token of ours: malformed, or its signature does not match (tampered with, or another key). */
        INVALID,
        EXPIRED,
        /** Genuine, but made for something else. */
        WRONG_PURPOSE
    }

    public static final class RefusedToken extends Exception {
        private final Refusal refusal;

        RefusedToken(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final SecretKey key;
    private final DefaultJWTParser parser = new DefaultJWTParser();

    public SignedTokens(TokenConfig config) {
        byte[] secret = config.secret().filter(s -> !s.isBlank()).map(SignedTokens::decode).orElse(null);
        if (secret == null) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                throw new IllegalStateException("roundtable.tokens.secret (ROUNDTABLE_TOKENS_SECRET) is not set: signed "
                        + "links (cohort invitations) need a secret of at least 32 bytes (e.g. `openssl rand -hex 32`). "
                        + "Refusing to start.");
            }
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Log.warn("No roundtable.tokens.secret set: using a random key for this process only (dev/test). "
                    + "Links signed now stop working at the next start.");
        }
        if (secret.length < 32) {
            throw new IllegalStateException("roundtable.tokens.secret is too short: it needs at least 32 bytes of secret "
                    + "(64 hex characters). Refusing to start.");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * A key of its own for another use of the same secret (HMAC-SHA256 of the secret's key over {@code purpose}), so
     * that no value made for one use is ever valid for another.
     */
    public SecretKey derivedKey(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return new SecretKeySpec(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void checkAtStart(@Observes StartupEvent event) {
        // constructing the bean validates the secret; observing start-up makes a missing one stop the app at once
    }

    /** A token for {@code purpose}, with its own id and lifetime, carrying the given claims. */
    public String sign(String purpose, String jti, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {
        JwtClaimsBuilder builder = Jwt.issuer(ISSUER).subject(purpose).claim(PURPOSE, purpose).claim("jti", jti)
                .issuedAt(issuedAt).expiresAt(expiresAt);
        claims.forEach(builder::claim);
        return builder.jws().algorithm(SignatureAlgorithm.HS256).sign(key);
    }

    /** The token's claims when it is ours, unexpired and for {@code purpose}; otherwise why not. */
    public JsonWebToken verify(String token, String purpose) throws RefusedToken {
        if (token == null || token.isBlank() || token.length() > 4096) {
            throw new RefusedToken(Refusal.INVALID);
        }
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setSecretVerificationKey(key);
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        context.setIssuedBy(ISSUER);
        context.setRequiredClaims(Set.of(PURPOSE, "jti", "exp", "iat"));
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token.strip(), context);
        } catch (ParseException e) {
            throw new RefusedToken(expired(e) ? Refusal.EXPIRED : Refusal.INVALID);
        }
        if (!purpose.equals(jwt.getClaim(PURPOSE))) {
            throw new RefusedToken(Refusal.WRONG_PURPOSE);
        }
        return jwt;
    }

    /** Expired, with a valid signature (jose4j checks the signature before the time). */
    private static boolean expired(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                return invalid.hasExpired();
            }
        }
        return false;
    }

    private static byte[] decode(String value) {
        String v = value.strip();
        if (v.matches("[0-9a-fA-F]+") && v.length() % 2 == 0) {
            return HexFormat.of().parseHex(v);
        }
        return Base64.getDecoder().decode(v);
    }
}
