package org.roundtable.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.logging.Log;
import io.quarkus.oidc.AuthorizationCodeTokens;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TokenStateManager;
import io.quarkus.oidc.runtime.CodeAuthenticationMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.roundtable.db.Database;
import org.roundtable.db.Unavailable;

/**
 * Page sessions kept in PostgreSQL (table {@code web_session}), in place of quarkus-oidc's default of keeping the tokens
 * in the browser's cookie. The session cookie holds a random id (32 bytes, base64url); the row keyed by its SHA-256
 * holds the ID token, which quarkus-oidc verifies on every request as before. Logging out ({@code /logout}) deletes the
 * row, so a copied cookie is refused at once by every instance: the login redirect for a page, nothing done for a
 * form. The CSRF token of a session is derived from the same id ({@link CsrfTokens}).
 * <p>
 * Why a table and not a revocation list of Keycloak's {@code sid}: the cookie then carries no token at all, a session
 * can end for reasons of our own (logout, later a suspension) without Keycloak, and one primary-key read replaces the
 * decryption of the token cookies on every request (docs/security/model.md, "Sessions").
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class WebSessions implements TokenStateManager {

    /** Expired rows a login deletes on its way, so that the table stays the size of the live sessions. */
    static final int SWEEP = 100;

    private static final String CREATE = """
            with swept as (
                delete from web_session where id_hash in (
                    select id_hash from web_session where expires_at < now()
                    order by expires_at limit %d for update skip locked)
            )
            insert into web_session (id_hash, subject, sid, id_token, refresh_token, expires_at)
            values ($1, $2, $3, $4, $6, now() + make_interval(secs => $5))
            """.formatted(SWEEP);

    private final Database db;
    private final SecureRandom random = new SecureRandom();
    private final SecretKey refreshKey;

    public WebSessions(Database db, SignedTokens tokens) {
        this.db = db;
        this.refreshKey = new SecretKeySpec(tokens.derivedKey("web-session-refresh-token").getEncoded(), "AES");
    }

    /** Stores the tokens of a new session; gives the cookie's value, a random id that is stored only hashed. */
    @Override
    public Uni<String> createTokenState(RoutingContext event, OidcTenantConfig oidcConfig, AuthorizationCodeTokens tokens,
            OidcRequestContext<String> requestContext) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        JsonObject claims = claims(tokens.getIdToken());
        Long maxAge = event.get(CodeAuthenticationMechanism.SESSION_MAX_AGE_PARAM);
        long seconds = maxAge == null ? 300 : maxAge;
        return db.execute(CREATE, Tuple.from(java.util.Arrays.asList(hash(cookie), claims.getString("sub", ""),
                claims.getString("sid"), tokens.getIdToken(), (double) seconds, seal(tokens.getRefreshToken()))))
                .onFailure().transform(e -> new AuthenticationFailedException("The session could not be stored", e))
                .replaceWith(cookie);
    }

    /** The tokens of a live session; a session that ended (logout, expiry) or never was fails, which means "log in". */
    @Override
    public Uni<AuthorizationCodeTokens> getTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig,
            String tokenState, OidcRequestContext<AuthorizationCodeTokens> requestContext) {
        String key = hash(tokenState);
        return db.one("select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now()",
                Tuple.of(key), row -> (AuthorizationCodeTokens) new SessionTokens(row.getString("id_token"),
                        row.getBuffer("refresh_token") == null ? null : row.getBuffer("refresh_token").getDelegate()))
                .map(tokens -> {
                    if (tokens == null) {
                        recent.invalidate(key);
                        throw new AuthenticationFailedException("This session has ended");
                    }
                    recent.put(key, tokens.getIdToken());
                    return tokens;
                })
                // PostgreSQL unreachable: quarkus-oidc would take any failure here for an ended session and remove the
                // cookie, logging the member out. A session this instance read in the last minutes keeps its ID token
                // (verified as always; no renewal until the database is back); the request then answers 503.
                .onFailure(Unavailable::database).recoverWithUni(failure -> {
                    String idToken = recent.getIfPresent(key);
                    return idToken == null ? Uni.createFrom().failure(failure)
                            : Uni.createFrom().item(new AuthorizationCodeTokens(idToken, null, null));
                });
    }

    /**
     * ID tokens of the sessions read in the last ten minutes (by id hash), used only while PostgreSQL is unreachable
     * (issue 18, docs/reliability.md). A logout on another instance during such an outage is not seen here until the
     * database is back: it could not delete the row either.
     */
    private final Cache<String, String> recent = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    /** Ends the session: called by quarkus-oidc on logout, and when it drops a session it no longer accepts. */
    @Override
    public Uni<Void> deleteTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig, String tokenState,
            OidcRequestContext<Void> requestContext) {
        recent.invalidate(hash(tokenState));
        // Every row of the same Keycloak session goes (rows a renewal raced past included): one browser, one session.
        return db.execute("""
                delete from web_session where id_hash = $1
                   or sid = (select sid from web_session where id_hash = $1 and sid is not null)
                """, Tuple.of(hash(tokenState)))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    Log.warnf("A session could not be deleted: %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * The refresh token as stored: AES-GCM under a key derived from {@code roundtable.tokens.secret}, a random 12-byte
     * nonce first. A copy of the table alone cannot renew anyone's session. Null stays null.
     */
    Buffer seal(String refreshToken) {
        if (refreshToken == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, refreshKey, new GCMParameterSpec(128, nonce));
            return Buffer.buffer(nonce).appendBytes(cipher.doFinal(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A session's tokens as read from its row: the refresh token is opened ({@link #open}) only when quarkus-oidc asks
     * for it, which it does to renew an expired ID token, not on the requests in between. Opening it on every request
     * was an AES-GCM decryption per page for nothing (docs/benchmarks.md, "Issue 21").
     */
    private final class SessionTokens extends AuthorizationCodeTokens {

        private Buffer sealed;

        SessionTokens(String idToken, Buffer sealed) {
            super(idToken, null, null);
            this.sealed = sealed;
        }

        @Override
        public String getRefreshToken() {
            if (sealed != null) {
                super.setRefreshToken(open(sealed));
                sealed = null;
            }
            return super.getRefreshToken();
        }

        @Override
        public void setRefreshToken(String refreshToken) {
            sealed = null;
            super.setRefreshToken(refreshToken);
        }
    }

    /** The stored refresh token opened; null when none was stored or it was sealed under another secret. */
    String open(Buffer sealed) {
        if (sealed == null || sealed.length() <= 12) {
            return null;
        }
        try {
            byte[] bytes = sealed.getBytes();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, refreshKey, new GCMParameterSpec(128, bytes, 0, 12));
            return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // A rotated tokens secret: the session lasts while its ID token does, then asks for a login.
            return null;
        }
    }

    /** The key of a session's row: the SHA-256 of its cookie's value, in hex. */
    static String hash(String cookie) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(String.valueOf(cookie).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a token quarkus-oidc has just verified (read for the row's subject and sid only). */
    private static JsonObject claims(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length < 2) {
            return new JsonObject();
        }
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
