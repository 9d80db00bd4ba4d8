package org.roundtable.security;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
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
 * session's id (the random value of the session cookie, {@link WebSessions}). It is bound to the session: another
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

    /** The token of the session whose cookie the request carries, or null when it carries none. */
    public String of(RoutingContext request) {
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
