package org.roundtable.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real local stack (PostgreSQL and Keycloak, deploy/local/stack) once per test run, on ports of its
 * own so that it can run beside the local demo, and stops it at the end.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    static final Path PROJECT = Path.of(System.getProperty("roundtable.project.dir", ".")).toAbsolutePath();
    static final Path STACK_DIR = PROJECT.resolve(System.getProperty("roundtable.test.stack-dir", "target/stack-test"));

    public static final int PG_PORT = Integer.getInteger("roundtable.test.pg-port", 55433);
    public static final int KC_PORT = Integer.getInteger("roundtable.test.kc-port", 58180);
    public static final int KC_MGMT_PORT = Integer.getInteger("roundtable.test.kc-management-port", 59180);

    // Once per test JVM: test classes with another profile restart the app, not the stack. The mark is a system
    // property because each application start may load this class anew.
    private static final String STARTED = "roundtable.test.stack.anonymity-key";
    private static final String TOKENS_SECRET = "roundtable.test.stack.tokens-secret";

    @Override
    public Map<String, String> start() {
        synchronized (System.class) {
            if (System.getProperty(STARTED) == null) {
                try {
                    run("start", 900);
                } catch (IllegalStateException first) {
                    // A busy machine can make Keycloak's start-up fail once; a second start is from a clean state.
                    System.err.println("The local stack did not start; trying once more. " + first.getMessage());
                    run("stop", 60);
                    run("start", 900);
                }
                byte[] anonymityKey = new byte[32];
                new java.security.SecureRandom().nextBytes(anonymityKey);
                System.setProperty(STARTED, java.util.HexFormat.of().formatHex(anonymityKey));
                byte[] tokensSecret = new byte[32];
                new java.security.SecureRandom().nextBytes(tokensSecret);
                System.setProperty(TOKENS_SECRET, java.util.HexFormat.of().formatHex(tokensSecret));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> run("stop", 60)));
            }
            return config(System.getProperty(STARTED), System.getProperty(TOKENS_SECRET));
        }
    }

    private static Map<String, String> config(String anonymityKey, String tokensSecret) {
        String db = "localhost:" + PG_PORT + "/roundtable";
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + db,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db,
                "roundtable.keycloak.url", keycloakUrl(),
                // the local stack's own secret, new for every run, as a production key would be (never in the database)
                "roundtable.anonymity.key", anonymityKey,
                // the secret of signed links (invitations, unsubscribe), new for every run
                "roundtable.tokens.secret", tokensSecret);
    }

    @Override
    public void stop() {
        // the stack outlives one application start; the shutdown hook stops it at the end of the run
    }

    public static String keycloakUrl() {
        return "http://localhost:" + KC_PORT;
    }

    /**
     * The local realm, with the test run's app port among the allowed redirects: the realm file lists 8080-8099, and a
     * run on another port (-Dquarkus.http.test-port, so that runs can share a machine) would be refused by Keycloak.
     */
    private static Path realmForTestPort() throws IOException {
        Path source = PROJECT.resolve("deploy/keycloak/roundtable-realm.json");
        String port = System.getProperty("quarkus.http.test-port", "8081");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode realm = (com.fasterxml.jackson.databind.node.ObjectNode) json
                .readTree(source.toFile());
        for (com.fasterxml.jackson.databind.JsonNode client : realm.get("clients")) {
            if ("roundtable-web".equals(client.path("clientId").asText())) {
                com.fasterxml.jackson.databind.node.ArrayNode redirects = (com.fasterxml.jackson.databind.node.ArrayNode) client
                        .get("redirectUris");
                com.fasterxml.jackson.databind.node.ObjectNode attributes = (com.fasterxml.jackson.databind.node.ObjectNode) client
                        .get("attributes");
                String logout = attributes.path("post.logout.redirect.uris").asText();
                for (String host : new String[] {"localhost", "127.0.0.1"}) {
                    String uri = "http://" + host + ":" + port + "/*";
                    redirects.add(uri);
                    logout = logout + "##" + uri;
                }
                attributes.put("post.logout.redirect.uris", logout);
            }
        }
        Path realmFile = STACK_DIR.resolve("roundtable-realm.json");
        json.writeValue(realmFile.toFile(), realm);
        return realmFile;
    }

    private static void run(String command, int timeoutSeconds) {
        try {
            Files.createDirectories(STACK_DIR);
            Path log = STACK_DIR.resolve("stack-" + command + ".log");
            ProcessBuilder builder = new ProcessBuilder(PROJECT.resolve("deploy/local/stack").toString(), command)
                    .directory(PROJECT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("RT_STACK_DIR", STACK_DIR.toString());
            env.put("RT_KC_REALM_FILE", realmForTestPort().toString());
            env.put("RT_PG_PORT", String.valueOf(PG_PORT));
            env.put("RT_KC_PORT", String.valueOf(KC_PORT));
            env.put("RT_KC_MGMT_PORT", String.valueOf(KC_MGMT_PORT));
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("deploy/local/stack " + command + " did not finish in "
                        + timeoutSeconds + " s; its output: " + log + "\n" + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/stack " + command + " failed (exit " + process.exitValue()
                        + "); its output: " + log + "\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run deploy/local/stack " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
