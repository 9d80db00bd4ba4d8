package org.roundtable.security;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The CSRF token of a page session: HMAC-SHA256, under a key derived from {@code roundtable.tokens.secret}, of the
 * login session's id (Keycloak's {@code sid}, else the random value of the session cookie, {@link WebSessions}). It is bound to the session: another
 * session's token, or a value an attacker chose, never matches; it needs no storage, and it is the same on every
 * instance. Forms carry it in the field {@value #FIELD} ({@code {#csrfField /}}, or {@code inject:csrf.token}); a
 * script may send it in the header {@value #HEADER}. Checked on every state-changing page request by
 * {@code web/CsrfCheck}.
 */
@Named("csrf")
@ApplicationScoped
public class CsrfTokens {

    public static final String FIELD = "csrf-token";
    public static final String HEADER = "X-CSRF-Token";
    /** quarkus-oidc's session cookie of the default tenant (the pages' tenant). */
    public static final String SESSION_COOKIE = "q_session";

    private final SecretKey key;
    private final CurrentVertxRequest request;

    public CsrfTokens(SignedTokens tokens, CurrentVertxRequest request) {
        this.key = tokens.derivedKey("roundtable csrf token");
        this.request = request;
    }

    /** The name of the form field (for templates: {@code inject:csrf.parameterName}). */
    public String getParameterName() {
        return FIELD;
    }

    /** The token of the current request's session; empty without a session (a guest has no forms to send). */
    public String getToken() {
        RoutingContext current = request.getCurrent();
        String token = current == null ? null : of(current);
        return token == null ? "" : token;
    }

    /**
     * The token of the request's login session, or null when it has none. The session is Keycloak's ({@code sid} of the
     * verified ID token): it outlives the renewal of an expired ID token, which gives the browser a new session cookie,
     * so a form opened before a renewal is still taken after it (a member's long reply is not refused); it ends with
     * logout. Without a {@code sid} (an identity provider that sends none), the session cookie's value stands for it.
     */
    public String of(RoutingContext request) {
        if (request.user() instanceof QuarkusHttpUser user
                && user.getSecurityIdentity().getPrincipal() instanceof JsonWebToken token
                && token.getClaim("sid") != null && !String.valueOf((Object) token.getClaim("sid")).isEmpty()) {
            return forSession("sid:" + token.getClaim("sid"));
        }
        Cookie session = request.request().getCookie(SESSION_COOKIE);
        return session == null || session.getValue().isEmpty() ? null : forSession(session.getValue());
    }

    /** Whether {@code presented} is the token of the request's session (compared in constant time). */
    public boolean matches(RoutingContext request, String presented) {
        String expected = of(request);
        return expected != null && presented != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    String forSession(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(sessionId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
