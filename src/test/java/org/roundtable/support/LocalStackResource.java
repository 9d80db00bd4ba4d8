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
                    run("start", 300);
                } catch (IllegalStateException first) {
                    // A busy machine can make Keycloak's start-up fail once; a second start is from a clean state.
                    System.err.println("The local stack did not start; trying once more. " + first.getMessage());
                    run("stop", 60);
                    run("start", 300);
                }
                byte[] anonymityKey = new byte[32];
                new java.security.SecureRandom().nextBytes(anonymityKey);
                System.setProperty(STARTED, java.util.HexFormat.of().formatHex(anonymityKey));
                byte[] tokensSecret = new byte[32];
                new java.security.SecureRandom().nextBytes(tokensSecret);
                System.setProperty(TOKENS_SECRET, java.util.HexFormat.of().formatHex(tokensSecret));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> run("stop", 60)));
                allowRedirectsTo(Integer.getInteger("quarkus.http.test-port", 8081));
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

    /**
     * Lets Keycloak send the browser back to the app on the test port (the realm file lists ports 8080-8099 only): adds
     * it to roundtable-web's redirect and post-logout URIs, through the admin API of this run's Keycloak.
     */
    private static void allowRedirectsTo(int port) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String token = new io.vertx.core.json.JsonObject(http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(keycloakUrl() + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "grant_type=password&client_id=admin-cli&username=admin&password=admin"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).getString("access_token");
            String clients = keycloakUrl() + "/admin/realms/roundtable/clients";
            io.vertx.core.json.JsonObject client = new io.vertx.core.json.JsonArray(http.send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(clients + "?clientId=roundtable-web"))
                    .header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).getJsonObject(0);
            io.vertx.core.json.JsonArray redirects = client.getJsonArray("redirectUris");
            String local = "http://localhost:" + port + "/*";
            if (redirects.contains(local)) {
                return;
            }
            redirects.add(local).add("http://127.0.0.1:" + port + "/*");
            io.vertx.core.json.JsonObject attributes = client.getJsonObject("attributes");
            attributes.put("post.logout.redirect.uris", attributes.getString("post.logout.redirect.uris", "")
                    + "##" + local + "##http://127.0.0.1:" + port + "/*");
            int status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(clients + "/" + client.getString("id")))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(client.encode())).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 204) {
                throw new IllegalStateException("Keycloak answered " + status + " to the redirect URIs of port " + port);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not allow redirects to port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String keycloakUrl() {
        return "http://localhost:" + KC_PORT;
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
