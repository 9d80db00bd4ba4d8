package org.roundtable.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rule the production app applies to its OIDC secrets at start (ProductionJarIT sees it refuse for real). */
class OidcSecretsTest {

    private static Optional<String> problem(String value) {
        return OidcSecrets.problem("the secret", Optional.ofNullable(value));
    }

    @Test
    void shouldRefuseAMissingOrBlankSecret() {
        assertThat(problem(null)).contains("the secret is not set.");
        assertThat(problem("   ")).contains("the secret is not set.");
    }

    @Test
    void shouldRefuseTheRepositoryValues() {
        assertThat(problem("roundtable-web-secret")).get().asString().contains("from the repository");
        assertThat(problem("local-state-secret-change-me-0123456789abcdef")).get().asString().contains("from the repository");
    }

    @Test
    void shouldRefusePlaceholdersAndShortValues() {
        assertThat(problem("${ROUNDTABLE_OIDC_CLIENT_SECRET}")).get().asString().contains("placeholder");
        assertThat(problem("change-me-change-me-change-me-change-me")).get().asString().contains("placeholder");
        assertThat(problem("0123456789abcdef0123456789abcde")).get().asString().contains("shorter than 32");
    }

    @Test
    void shouldAcceptARandomSecretOf32CharactersOrMore() {
        assertThat(problem("0123456789abcdef0123456789abcdef")).isEmpty();
        assertThat(problem("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")).isEmpty();
    }
}
