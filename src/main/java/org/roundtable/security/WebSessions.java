package org.roundtable.security;

import io.quarkus.logging.Log;
import io.quarkus.oidc.AuthorizationCodeTokens;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TokenStateManager;
import io.quarkus.oidc.runtime.CodeAuthenticationMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.roundtable.db.Database;

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
            insert into web_session (id_hash, subject, sid, id_token, expires_at)
            values ($1, $2, $3, $4, now() + make_interval(secs => $5))
            """.formatted(SWEEP);

    private final Database db;
    private final SecureRandom random = new SecureRandom();

    public WebSessions(Database db) {
        this.db = db;
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
        return db.execute(CREATE, Tuple.of(hash(cookie), claims.getString("sub", ""), claims.getString("sid"),
                tokens.getIdToken(), (double) seconds))
                .onFailure().transform(e -> new AuthenticationFailedException("The session could not be stored", e))
                .replaceWith(cookie);
    }

    /** The tokens of a live session; a session that ended (logout, expiry) or never was fails, which means "log in". */
    @Override
    public Uni<AuthorizationCodeTokens> getTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig,
            String tokenState, OidcRequestContext<AuthorizationCodeTokens> requestContext) {
        return db.one("select id_token from web_session where id_hash = $1 and expires_at > now()",
                Tuple.of(hash(tokenState)), row -> row.getString("id_token"))
                .map(idToken -> {
                    if (idToken == null) {
                        throw new AuthenticationFailedException("This session has ended");
                    }
                    return new AuthorizationCodeTokens(idToken, null, null);
                });
    }

    /** Ends the session: called by quarkus-oidc on logout, and when it drops a session it no longer accepts. */
    @Override
    public Uni<Void> deleteTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig, String tokenState,
            OidcRequestContext<Void> requestContext) {
        return db.execute("delete from web_session where id_hash = $1", Tuple.of(hash(tokenState)))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    Log.warnf("A session could not be deleted: %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
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
