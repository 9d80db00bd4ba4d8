package org.roundtable.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The production app refuses to start with the OIDC secrets of the repository (the local realm's client secret, the
 * local state secret), with none, or with a placeholder, as it does for the tokens secret (SignedTokens) and the
 * anonymity key (Pseudonyms). The client secret proves to Keycloak that the code exchange comes from this app; the
 * state secret encrypts the PKCE state cookie, and must be the same on every instance (a login that starts on one
 * instance may come back to another). Dev and test runs use the local values.
 */
@ApplicationScoped
public class OidcSecrets {

    /** The local stack's values, in application.properties and deploy/keycloak/roundtable-realm.json: public. */
    static final Set<String> REPOSITORY_VALUES = Set.of("roundtable-web-secret",
            "local-state-secret-change-me-0123456789abcdef");

    /** Shortest secret accepted: 32 characters (`openssl rand -hex 32` gives 64). */
    public static final int MIN_LENGTH = 32;

    private final Optional<String> clientSecret;
    private final Optional<String> stateSecret;

    public OidcSecrets(@ConfigProperty(name = "quarkus.oidc.credentials.secret") Optional<String> clientSecret,
            @ConfigProperty(name = "quarkus.oidc.authentication.state-secret") Optional<String> stateSecret) {
        this.clientSecret = clientSecret;
        this.stateSecret = stateSecret;
    }

    void checkAtStart(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = new ArrayList<>();
        problem("quarkus.oidc.credentials.secret (ROUNDTABLE_OIDC_CLIENT_SECRET), the client secret of roundtable-web "
                + "in Keycloak,", clientSecret).ifPresent(problems::add);
        problem("quarkus.oidc.authentication.state-secret (ROUNDTABLE_OIDC_STATE_SECRET), the key of the login state "
                + "cookie, the same on every instance,", stateSecret).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join(" ", problems) + " Make each with `openssl rand -hex 32`"
                    + " (docs/operations.md, \"Secrets\"). Refusing to start.");
        }
    }

    /**
     * Why {@code value} cannot be a production secret named {@code what}, or empty when it can: it must be set, at
     * least {@link #MIN_LENGTH} characters, not a value from the repository, not an unresolved {@code ${...}}
     * placeholder and not an example file's "change-me".
     */
    public static Optional<String> problem(String what, Optional<String> value) {
        String secret = value.map(String::strip).orElse("");
        if (secret.isEmpty()) {
            return Optional.of(what + " is not set.");
        }
        if (REPOSITORY_VALUES.contains(secret)) {
            return Optional.of(what + " is the local stack's value from the repository, which anyone can read.");
        }
        String lower = secret.toLowerCase(Locale.ROOT);
        if (secret.contains("${") || lower.contains("change-me") || lower.contains("changeme")
                || lower.contains("replace-me")) {
            return Optional.of(what + " is a placeholder, not a secret.");
        }
        if (secret.length() < MIN_LENGTH) {
            return Optional.of(what + " is shorter than " + MIN_LENGTH + " characters.");
        }
        return Optional.empty();
    }
}
