package org.roundtable.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.roundtable.support.LocalStackResource;

/**
 * The packaged production jar (target/quarkus-app, profile prod, the production JVM options), started as an operator
 * starts it, on the real local stack: it refuses the repository's and placeholder secrets, and with secrets of its own
 * it migrates an empty database, serves a page and the API, keeps /q/* off the public port and builds https addresses
 * behind a proxy. Not a {@code @QuarkusIntegrationTest}: that starts the jar once, with one configuration, and a test
 * here must watch the jar refuse to start, several times over. Run by failsafe in {@code ./mvnw verify}.
 */
class ProductionJarIT {

    static final Path PROJECT = Path.of(System.getProperty("roundtable.project.dir", ".")).toAbsolutePath();
    static final Path JAR = Path.of(System.getProperty("roundtable.jar", PROJECT.resolve("target/quarkus-app/quarkus-run.jar").toString()));
    static final int HTTP_PORT = Integer.getInteger("quarkus.http.test-port", 8081);
    static final int MANAGEMENT_PORT = Integer.getInteger("quarkus.management.test-port", 9001);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Map<String, String> stack;

    @BeforeAll
    static void stack() {
        assertThat(JAR).as("the packaged jar (./mvnw package)").exists();
        stack = new LocalStackResource().start();
    }

    record Run(int exit, String log) {
    }

    @Test
    void shouldRefuseToStartWithTheRepositorysOidcSecrets() throws Exception {
        Run run = runUntilExit(environment(freshDatabase(), Map.of()));

        assertThat(run.exit()).isNotZero();
        assertThat(run.log()).contains("quarkus.oidc.credentials.secret (ROUNDTABLE_OIDC_CLIENT_SECRET)")
                .contains("quarkus.oidc.authentication.state-secret (ROUNDTABLE_OIDC_STATE_SECRET)")
                .contains("the local stack's value from the repository").contains("Refusing to start");
    }

    @Test
    void shouldRefuseToStartWithPlaceholderOrShortSecrets() throws Exception {
        // the examples' placeholder (a literal "${...}" never gets this far: the configuration refuses to expand it)
        Run run = runUntilExit(environment(freshDatabase(), Map.of(
                "ROUNDTABLE_OIDC_CLIENT_SECRET", "change-me-change-me-change-me-change-me",
                "ROUNDTABLE_OIDC_STATE_SECRET", "too-short")));

        assertThat(run.exit()).isNotZero();
        assertThat(run.log()).contains("(ROUNDTABLE_OIDC_CLIENT_SECRET), the client secret of roundtable-web in Keycloak, is a placeholder")
                .contains("shorter than 32 characters").contains("Refusing to start");
    }

    @Test
    void shouldRefuseToStartWithoutTheTokensSecret() throws Exception {
        Map<String, String> env = environment(freshDatabase(), secrets());
        env.remove("ROUNDTABLE_TOKENS_SECRET");

        Run run = runUntilExit(env);

        assertThat(run.exit()).isNotZero();
        assertThat(run.log()).contains("roundtable.tokens.secret (ROUNDTABLE_TOKENS_SECRET) is not set");
    }

    @Test
    void shouldStartWithGivenSecretsMigrateAnEmptyDatabaseAndServePages() throws Exception {
        String database = freshDatabase();
        Path log = Files.createTempFile("roundtable-jar", ".log");
        Process app = start(environment(database, secrets()), log);
        try {
            awaitReady(app, log);

            // the migrations ran, every one of them, into the empty database
            long migrations;
            try (Stream<Path> files = Files.list(PROJECT.resolve("src/main/resources/db/migration"))) {
                migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
            }
            assertThat(query(database, "select count(*) from flyway_schema_history where success and version is not null"))
                    .isEqualTo(migrations);

            // a page
            HttpResponse<String> landing = get("http://localhost:" + HTTP_PORT + "/", Map.of());
            assertThat(landing.statusCode()).isEqualTo(200);
            assertThat(Jsoup.parse(landing.body()).select("h1").text()).contains("school leaders");

            // the API with a member's token (a member row made on first call)
            HttpResponse<String> me = get("http://localhost:" + HTTP_PORT + "/api/me",
                    Map.of("Authorization", "Bearer " + token("alice")));
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("\"username\":\"alice\"");

            // health and metrics on the management port, none of /q/* on the public one
            assertThat(get("http://localhost:" + MANAGEMENT_PORT + "/q/metrics", Map.of()).body()).contains("http_server");
            for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/")) {
                assertThat(get("http://localhost:" + HTTP_PORT + path, Map.of()).statusCode()).as(path).isEqualTo(404);
            }
            // Swagger UI in production too, on the management port only, with no CSP (its page runs inline scripts)
            HttpResponse<String> swagger = get("http://localhost:" + MANAGEMENT_PORT + "/q/swagger-ui/", Map.of());
            assertThat(swagger.statusCode()).isEqualTo(200);
            assertThat(swagger.headers().firstValue("Content-Security-Policy")).isEmpty();
            assertThat(get("http://localhost:" + MANAGEMENT_PORT + "/q/openapi", Map.of()).body()).contains("/api/me")
                    .doesNotContain("/channels/{slug}/new");

            // behind a TLS proxy (this machine is trusted: ROUNDTABLE_TRUSTED_PROXIES=127.0.0.1): https and Secure cookies
            HttpResponse<String> login = get("http://localhost:" + HTTP_PORT + "/me",
                    Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "forum.example.org"));
            assertThat(login.statusCode()).isEqualTo(302);
            Matcher redirect = Pattern.compile("[?&]redirect_uri=([^&]*)").matcher(login.headers().firstValue("Location").orElseThrow());
            assertThat(redirect.find()).isTrue();
            assertThat(URLDecoder.decode(redirect.group(1), StandardCharsets.UTF_8)).isEqualTo("https://forum.example.org/me");
            assertThat(login.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("q_auth")).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.toLowerCase()).contains("; secure"));
        } finally {
            stop(app);
        }
    }

    // ------------------------------------------------------------------ the jar, as an operator starts it

    private static Map<String, String> secrets() {
        return new HashMap<>(Map.of("ROUNDTABLE_OIDC_CLIENT_SECRET", random(), "ROUNDTABLE_OIDC_STATE_SECRET", random()));
    }

    /** The environment of docs/operations.md, "Configuration", for the local stack and the given database. */
    private static Map<String, String> environment(String database, Map<String, String> extra) {
        String db = "localhost:" + LocalStackResource.PG_PORT + "/" + database;
        Map<String, String> env = new HashMap<>();
        env.put("ROUNDTABLE_DB_REACTIVE_URL", "postgresql://" + db);
        env.put("ROUNDTABLE_DB_JDBC_URL", "jdbc:postgresql://" + db);
        env.put("ROUNDTABLE_KEYCLOAK_URL", LocalStackResource.keycloakUrl());
        env.put("ROUNDTABLE_BASE_URL", "http://localhost:" + HTTP_PORT);
        env.put("ROUNDTABLE_ANONYMITY_KEY", stack.get("roundtable.anonymity.key"));
        env.put("ROUNDTABLE_TOKENS_SECRET", stack.get("roundtable.tokens.secret"));
        env.put("ROUNDTABLE_TRUSTED_PROXIES", "127.0.0.1");
        env.put("ROUNDTABLE_DIGEST_SCHEDULED", "false");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(HTTP_PORT));
        env.put("ROUNDTABLE_MANAGEMENT_PORT", String.valueOf(MANAGEMENT_PORT));
        env.putAll(extra);
        return env;
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        Files.readAllLines(PROJECT.resolve("deploy/production/jvm.options")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(command::add);
        command.add("-jar");
        command.add(JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("ROUNDTABLE_"));
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Run runUntilExit(Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("roundtable-jar", ".log");
        Process app = start(env, log);
        try {
            assertThat(app.waitFor(180, TimeUnit.SECONDS)).as("the jar stops by itself; its log: " + log).isTrue();
            return new Run(app.exitValue(), Files.readString(log));
        } finally {
            stop(app);
        }
    }

    private static void awaitReady(Process app, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("the jar is running; its log:\n" + Files.readString(log)).isTrue();
            try {
                if (get("http://localhost:" + MANAGEMENT_PORT + "/q/health/ready", Map.of()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the jar was not ready after 180 s; its log:\n" + Files.readString(log));
    }

    private static void stop(Process app) throws InterruptedException {
        if (app.isAlive()) {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ------------------------------------------------------------------ the stack

    /** A new, empty database on the stack's PostgreSQL (the stack's user may create databases). */
    private static String freshDatabase() throws SQLException {
        String name = "roundtable_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(jdbc("roundtable"), "roundtable", "roundtable")) {
            c.createStatement().execute("create database " + name);
        }
        return name;
    }

    private static long query(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc(database), "roundtable", "roundtable");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String jdbc(String database) {
        return "jdbc:postgresql://localhost:" + LocalStackResource.PG_PORT + "/" + database;
    }

    private static String token(String username) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(LocalStackResource.keycloakUrl()
                        + "/realms/roundtable/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=roundtable-cli&username=" + username
                        + "&password=demo")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
