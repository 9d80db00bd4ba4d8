package org.roundtable.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/keycloak/import-guard, which the compose file starts Keycloak through: it refuses to run Keycloak with the
 * production realm when the client secret the realm takes from the environment is missing, short or a placeholder
 * (Keycloak itself would import the literal "${ROUNDTABLE_OIDC_CLIENT_SECRET}", or an empty secret, which it then
 * accepts). A stand-in kc.sh records whether it was started. Runs with an empty PATH, as in the Keycloak image (no grep).
 */
class KeycloakImportGuardTest {

    static final Path PROJECT = DeploymentManifestsTest.PROJECT;
    static final Path REALM = PROJECT.resolve("deploy/keycloak/roundtable-realm-production.json");
    static final String SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    record Result(int exit, String output, boolean keycloakStarted) {
    }

    private Result guard(Map<String, String> env) throws IOException, InterruptedException {
        Path kc = dir.resolve("kc.sh");
        Path started = dir.resolve("started");
        Files.writeString(kc, "#!/bin/bash\necho \"$@\" > " + started + "\n");
        Files.setPosixFilePermissions(kc, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", PROJECT.resolve("deploy/keycloak/import-guard").toString(),
                REALM.toString(), "start", "--import-realm").redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/nonexistent");
        builder.environment().put("KC_SH", kc.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ran = Files.exists(started);
        if (ran) {
            assertThat(Files.readString(started).strip()).isEqualTo("start --import-realm");
        }
        return new Result(process.exitValue(), output, ran);
    }

    @Test
    void shouldRefuseToImportWithoutTheClientSecret() throws Exception {
        Result result = guard(Map.of("ROUNDTABLE_BASE_URL", "https://forum.example.org"));
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.keycloakStarted()).isFalse();
        assertThat(result.output()).contains("ROUNDTABLE_OIDC_CLIENT_SECRET is not set");
    }

    @Test
    void shouldRefuseAnEmptyShortOrPlaceholderClientSecret() throws Exception {
        for (String bad : new String[] {"", "change-me", "${ROUNDTABLE_OIDC_CLIENT_SECRET}",
                "change-me-change-me-change-me-change-me", SECRET.substring(0, 31)}) {
            Result result = guard(Map.of("ROUNDTABLE_BASE_URL", "https://forum.example.org",
                    "ROUNDTABLE_OIDC_CLIENT_SECRET", bad));
            assertThat(result.exit()).as(bad).isEqualTo(1);
            assertThat(result.keycloakStarted()).as(bad).isFalse();
        }
    }

    @Test
    void shouldRefuseWithoutTheBaseUrlTheRedirectsNeed() throws Exception {
        Result result = guard(Map.of("ROUNDTABLE_OIDC_CLIENT_SECRET", SECRET));
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("ROUNDTABLE_BASE_URL is not set");
    }

    @Test
    void shouldStartKeycloakWhenEveryValueIsThere() throws Exception {
        Result result = guard(Map.of("ROUNDTABLE_BASE_URL", "https://forum.example.org",
                "ROUNDTABLE_OIDC_CLIENT_SECRET", SECRET));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.keycloakStarted()).isTrue();
    }
}
