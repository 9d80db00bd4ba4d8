package org.roundtable.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What an operator deploys, read as the tools read it: every manifest under deploy/kubernetes and the compose file,
 * checked for the fields that break a deployment when they drift: images, ports, probes, secret references, selectors,
 * the backup and realm-import wiring, and the JVM options of the image definitions. Plain files, no cluster.
 */
class DeploymentManifestsTest {

    static final Path PROJECT = Path.of(System.getProperty("roundtable.project.dir", ".")).toAbsolutePath();
    static final Path KUBERNETES = PROJECT.resolve("deploy/kubernetes");
    static final Path COMPOSE = PROJECT.resolve("deploy/compose");

    /** Every object of the base, by "Kind/name". */
    static Map<String, Map<String, Object>> objects = new HashMap<>();
    static Properties app = new Properties();

    @BeforeAll
    static void read() throws IOException {
        for (Path file : yamlFiles(KUBERNETES.resolve("base"))) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (Object doc : loadAll(file)) {
                Map<String, Object> object = map(doc);
                String key = object.get("kind") + "/" + map(object.get("metadata")).get("name");
                assertThat(objects.put(key, object)).as("two objects named " + key).isNull();
            }
        }
        try (Reader reader = Files.newBufferedReader(PROJECT.resolve("src/main/resources/application.properties"))) {
            app.load(reader);
        }
    }

    // ------------------------------------------------------------------ kustomize

    @Test
    void shouldListEveryManifestInTheBaseAndBuildEveryOverlayFromIt() throws IOException {
        Map<String, Object> base = map(load(KUBERNETES.resolve("base/kustomization.yaml")));
        Set<String> listed = new TreeSet<>(strings(base.get("resources")));
        Set<String> present = yamlFiles(KUBERNETES.resolve("base")).stream()
                .map(p -> KUBERNETES.resolve("base").relativize(p).toString())
                .filter(p -> !p.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(present);

        for (String overlay : overlays()) {
            Map<String, Object> k = map(load(KUBERNETES.resolve("overlays").resolve(overlay).resolve("kustomization.yaml")));
            assertThat(strings(k.get("resources"))).as(overlay).containsExactly("../../base");
            assertThat((String) k.get("namespace")).as(overlay).isNotBlank();
            // the image override names the image the base uses, or it overrides nothing
            for (Object image : list(k.get("images"))) {
                assertThat(map(image).get("name")).as(overlay).isEqualTo(imageName(appContainer().get("image")));
                assertThat(String.valueOf(map(image).get("newTag"))).as(overlay).isNotBlank().isNotEqualTo("latest");
            }
            // names stay as written: the operators' resources refer to the Secrets by name
            assertThat(map(k.get("generatorOptions")).get("disableNameSuffixHash")).as(overlay).isEqualTo(true);
            // patches target objects that exist
            for (Object patch : list(k.get("patches"))) {
                Map<String, Object> target = map(map(patch).get("target"));
                String kind = (String) target.get("kind");
                Object name = target.get("name");
                assertThat(objects.keySet()).as(overlay + " patch target " + target)
                        .anyMatch(key -> key.startsWith(kind + "/") && (name == null || key.equals(kind + "/" + name)));
            }
        }
    }

    // ------------------------------------------------------------------ images

    @Test
    void shouldPinEveryImage() throws IOException {
        List<String> images = new ArrayList<>();
        objects.values().forEach(o -> collect(o, Set.of("image", "imageName"), images));
        map(load(COMPOSE.resolve("compose.yaml"))).get("services");
        for (Object service : map(map(load(COMPOSE.resolve("compose.yaml"))).get("services")).values()) {
            images.add((String) map(service).get("image"));
        }
        assertThat(images).hasSizeGreaterThan(8).allSatisfy(image -> {
            if (image.startsWith("${")) {
                return; // the app's image in compose comes from .env (ROUNDTABLE_IMAGE)
            }
            assertThat(image).as(image).matches(".+:[A-Za-z0-9][A-Za-z0-9._-]*$").doesNotEndWith(":latest");
        });
        // Keycloak is the version the local stack and the tests run
        String keycloak = "quay.io/keycloak/keycloak:" + pomProperty("keycloak.version");
        assertThat(images).filteredOn(i -> i.startsWith("quay.io/keycloak/")).isNotEmpty().allMatch(keycloak::equals);
        // the app's image is the one Jib names (group/name)
        assertThat(imageName(appContainer().get("image"))).endsWith("/" + app.getProperty("quarkus.container-image.group")
                + "/" + app.getProperty("quarkus.container-image.name"));
    }

    // ------------------------------------------------------------------ ports and probes

    @Test
    void shouldServeTheAppPortThroughTheIngressAndProbeTheManagementPortOnly() {
        Map<String, Integer> ports = new HashMap<>();
        for (Object port : list(appContainer().get("ports"))) {
            ports.put((String) map(port).get("name"), (Integer) map(port).get("containerPort"));
        }
        assertThat(ports).containsEntry("http", Integer.valueOf(app.getProperty("quarkus.http.port")))
                .containsEntry("management", 9000).hasSize(2);
        assertThat(app.getProperty("quarkus.management.enabled")).isEqualTo("true");
        assertThat(app.getProperty("quarkus.management.port")).contains("9000");

        Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        probes.forEach((probe, path) -> {
            Map<String, Object> get = map(map(appContainer().get(probe)).get("httpGet"));
            assertThat(get.get("path")).as(probe).isEqualTo(path);
            assertThat(get.get("port")).as(probe).isEqualTo("management");
        });

        // the Ingress reaches the Service's http port, whose target is the container's http port: never management
        Map<String, Object> backend = map(map(path(objects.get("Ingress/roundtable"), "spec", "rules", 0, "http", "paths", 0))
                .get("backend"));
        String service = (String) map(backend.get("service")).get("name");
        Object servicePort = map(map(backend.get("service")).get("port")).get("name");
        Map<String, Object> svc = objects.get("Service/" + service);
        assertThat(svc).as("Service/" + service).isNotNull();
        Map<String, Object> port = list(path(svc, "spec", "ports")).stream().map(DeploymentManifestsTest::map)
                .filter(p -> p.get("name").equals(servicePort)).findFirst().orElseThrow();
        assertThat(port.get("targetPort")).isEqualTo("http");
        assertThat(selector(svc)).isEqualTo(podLabels());
        assertThat(list(path(objects.get("Ingress/roundtable"), "spec", "tls"))).isNotEmpty();
        // every Service port targets a port the pods have
        for (String name : List.of("Service/roundtable", "Service/roundtable-management")) {
            for (Object p : list(path(objects.get(name), "spec", "ports"))) {
                assertThat(ports).as(name).containsKey((String) map(p).get("targetPort"));
            }
        }
    }

    @Test
    void shouldRunAtLeastTwoInstancesWithABudgetAndAnAutoscaler() {
        Map<String, Object> deployment = objects.get("Deployment/roundtable");
        assertThat((Integer) path(deployment, "spec", "replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> hpa = objects.get("HorizontalPodAutoscaler/roundtable");
        assertThat(path(hpa, "spec", "scaleTargetRef", "name")).isEqualTo("roundtable");
        assertThat(path(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat((Integer) path(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> pdb = objects.get("PodDisruptionBudget/roundtable");
        assertThat(map(path(pdb, "spec", "selector")).get("matchLabels")).isEqualTo(podLabels());
        assertThat((Integer) path(pdb, "spec", "minAvailable")).isLessThan((Integer) path(hpa, "spec", "minReplicas"));
        Map<String, Object> resources = map(appContainer().get("resources"));
        assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
        assertThat(map(resources.get("limits"))).containsKey("memory");
        assertThat(path(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(path(deployment, "spec", "template", "spec", "securityContext", "runAsUser"))
                .isEqualTo(Integer.valueOf(app.getProperty("quarkus.jib.user")));
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void shouldReferOnlyToSecretsThatAnOverlayOrAnOperatorMakesWithTheKeysUsed() throws IOException {
        // (name, key) of every secret reference in the manifests
        Set<List<String>> references = new LinkedHashSet<>();
        objects.values().forEach(o -> secretRefs(o, references));
        assertThat(references).extracting(r -> r.get(0))
                .contains("roundtable-secrets", "roundtable-db-app", "keycloak-db-app", "roundtable-backup-s3");

        // Secrets that operators make: CloudNativePG's <cluster>-app with the owner's username and password
        Map<String, Set<String>> madeByOperators = new HashMap<>();
        objects.keySet().stream().filter(k -> k.startsWith("Cluster/"))
                .forEach(k -> madeByOperators.put(k.substring("Cluster/".length()) + "-app", Set.of("username", "password")));

        for (String overlay : overlays()) {
            Path dir = KUBERNETES.resolve("overlays").resolve(overlay);
            Map<String, Set<String>> generated = new HashMap<>(madeByOperators);
            for (Object generator : list(map(load(dir.resolve("kustomization.yaml"))).get("secretGenerator"))) {
                Set<String> keys = new TreeSet<>();
                for (String env : strings(map(generator).get("envs"))) {
                    assertThat(dir.resolve(env + ".example")).as(overlay + ": the example of " + env).exists();
                    keys.addAll(envKeys(dir.resolve(env + ".example")));
                    assertThat(gitignored("deploy/kubernetes/overlays/*/" + env)).as(env + " is never committed").isTrue();
                }
                generated.put((String) map(generator).get("name"), keys);
            }
            for (List<String> ref : references) {
                assertThat(generated).as(overlay + ": who makes Secret " + ref.get(0)).containsKey(ref.get(0));
                assertThat(generated.get(ref.get(0))).as(overlay + ": key " + ref.get(1) + " of " + ref.get(0))
                        .contains(ref.get(1));
            }
        }
        // TLS Secrets are made by cert-manager from the issuer annotation
        assertThat(map(path(objects.get("Ingress/roundtable"), "metadata", "annotations")))
                .containsKey("cert-manager.io/cluster-issuer");
        assertThat(map(path(objects.get("Keycloak/keycloak"), "spec", "ingress", "annotations")))
                .containsKey("cert-manager.io/cluster-issuer");
    }

    // ------------------------------------------------------------------ database and backups

    @Test
    void shouldRunThePrimaryAndTwoReplicasWithScheduledBackupsToTheObjectStore() {
        Map<String, Object> cluster = objects.get("Cluster/roundtable-db");
        assertThat(path(cluster, "spec", "instances")).isEqualTo(3);
        for (String name : List.of("roundtable-db", "keycloak-db")) {
            Map<String, Object> c = objects.get("Cluster/" + name);
            Map<String, Object> plugin = map(path(c, "spec", "plugins", 0));
            assertThat(plugin.get("name")).isEqualTo("barman-cloud.cloudnative-pg.io");
            assertThat(plugin.get("isWALArchiver")).isEqualTo(true);
            assertThat(objects).containsKey("ObjectStore/" + map(plugin.get("parameters")).get("barmanObjectName"));
            assertThat(objects.values()).as("a ScheduledBackup of " + name)
                    .anyMatch(o -> "ScheduledBackup".equals(o.get("kind"))
                            && name.equals(path(o, "spec", "cluster", "name"))
                            && "plugin".equals(path(o, "spec", "method"))
                            && "barman-cloud.cloudnative-pg.io".equals(path(o, "spec", "pluginConfiguration", "name")));
        }
        // the app connects to the primary's service
        Map<String, Object> config = map(objects.get("ConfigMap/roundtable-config").get("data"));
        assertThat((String) config.get("ROUNDTABLE_DB_REACTIVE_URL")).startsWith("postgresql://roundtable-db-rw:5432/");
        assertThat((String) config.get("ROUNDTABLE_DB_JDBC_URL")).startsWith("jdbc:postgresql://roundtable-db-rw:5432/");
        assertThat((String) config.get("ROUNDTABLE_KEYCLOAK_URL")).isEqualTo("http://keycloak-service:8080");
    }

    // ------------------------------------------------------------------ Keycloak

    @Test
    void shouldImportTheProductionRealmWithEveryPlaceholderFromASecretBehindTheGuard() throws IOException {
        Map<String, Object> keycloak = objects.get("Keycloak/keycloak");
        Map<String, Object> realmImport = objects.get("KeycloakRealmImport/roundtable-realm");
        assertThat(path(realmImport, "spec", "keycloakCRName")).isEqualTo("keycloak");
        assertThat(path(keycloak, "spec", "db", "host")).isEqualTo("keycloak-db-rw");
        assertThat(path(keycloak, "spec", "proxy", "headers")).isEqualTo("xforwarded");

        String realmFile = Files.readString(PROJECT.resolve("deploy/keycloak/roundtable-realm-production.json"));
        Object realm = new ObjectMapper().readValue(realmFile, Object.class);
        assertThat(path(realmImport, "spec", "realm")).as("run deploy/kubernetes/realm-import").isEqualTo(realm);

        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}").matcher(realmFile);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertThat(placeholders).contains("ROUNDTABLE_OIDC_CLIENT_SECRET", "ROUNDTABLE_BASE_URL");
        assertThat(map(path(realmImport, "spec", "placeholders")).keySet()).containsExactlyInAnyOrderElementsOf(placeholders);

        // the guard (an init container of the pod template the import Job is made from) reads the same secret key
        Map<String, Object> guard = map(path(keycloak, "spec", "unsupported", "podTemplate", "spec", "initContainers", 0));
        assertThat(String.join("\n", strings(guard.get("args")))).contains("-lt 32").contains("change-me").contains("'${'");
        assertThat(path(guard, "env", 0, "valueFrom", "secretKeyRef"))
                .isEqualTo(path(realmImport, "spec", "placeholders", "ROUNDTABLE_OIDC_CLIENT_SECRET", "secret"));
    }

    // ------------------------------------------------------------------ network policies

    @Test
    void shouldDenyIngressByDefaultAndOpenOnlyTheAppPortToTheIngressController() {
        Map<String, Object> deny = objects.get("NetworkPolicy/default-deny-ingress");
        assertThat(map(path(deny, "spec", "podSelector"))).isEmpty();
        assertThat(strings(path(deny, "spec", "policyTypes"))).containsExactly("Ingress");

        Map<String, Object> policy = objects.get("NetworkPolicy/roundtable");
        assertThat(map(path(policy, "spec", "podSelector")).get("matchLabels")).isEqualTo(podLabels());
        Map<Object, Object> portsByNamespace = new HashMap<>();
        for (Object rule : list(path(policy, "spec", "ingress"))) {
            Object namespace = path(map(rule), "from", 0, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name");
            portsByNamespace.put(namespace, list(map(rule).get("ports")).stream().map(p -> map(p).get("port")).toList());
        }
        assertThat(portsByNamespace).containsEntry("ingress-nginx", List.of(8080)).containsEntry("monitoring", List.of(9000))
                .hasSize(2);
        // every policy selects pods that exist: the app, a database cluster, or Keycloak
        Set<Map<String, Object>> selectable = new java.util.HashSet<>(List.of(podLabels(), Map.of("app", "keycloak")));
        objects.keySet().stream().filter(k -> k.startsWith("Cluster/"))
                .forEach(k -> selectable.add(Map.of("cnpg.io/cluster", k.substring("Cluster/".length()))));
        objects.values().stream().filter(o -> "NetworkPolicy".equals(o.get("kind"))).forEach(o -> {
            Object labels = map(path(o, "spec", "podSelector")).get("matchLabels");
            if (labels != null) {
                assertThat(selectable).as(String.valueOf(path(o, "metadata", "name"))).contains(map(labels));
            }
        });
    }

    // ------------------------------------------------------------------ images' JVM options

    @Test
    void shouldStartTheImageWithTheProductionJvmOptionsAsANonRootUser() throws IOException {
        List<String> production = Files.readAllLines(PROJECT.resolve("deploy/production/jvm.options")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(production).contains("-Xmx200m", "-Xmn96m", "-XX:SurvivorRatio=2", "-XX:+UseSerialGC");
        assertThat(Arrays.asList(app.getProperty("quarkus.jib.jvm-additional-arguments").split(",")))
                .isEqualTo(production);
        assertThat(app.getProperty("quarkus.jib.user")).isEqualTo("185");
        assertThat(app.getProperty("quarkus.jib.ports")).isEqualTo("8080,9000");
        assertThat(app.getProperty("quarkus.jib.environment-variables.GC_CONTAINER_OPTIONS")).isEqualTo("-XX:+UseSerialGC");

        String dockerfile = Files.readString(PROJECT.resolve("src/main/docker/Dockerfile.jvm"));
        Matcher opts = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(opts.find()).isTrue();
        assertThat(Arrays.stream(opts.group(1).split(" ")).filter(o -> !o.startsWith("-Djava.util.logging")).toList())
                .isEqualTo(production);
        assertThat(dockerfile).containsPattern("(?m)^USER 185$").containsPattern("(?m)^EXPOSE 8080 9000$")
                .containsPattern("(?m)^HEALTHCHECK .*\\n.*http://localhost:9000/q/health/ready")
                .contains("FROM " + app.getProperty("quarkus.jib.base-jvm-image"))
                .contains("ENV GC_CONTAINER_OPTIONS=\"-XX:+UseSerialGC\"");
    }

    // ------------------------------------------------------------------ compose

    @Test
    void shouldComposeTwoInstancesBehindTheProxyWithKeycloakInProductionModeAndSecretsFromTheEnvFile() throws IOException {
        String text = Files.readString(COMPOSE.resolve("compose.yaml"));
        Map<String, Object> services = map(map(load(COMPOSE.resolve("compose.yaml"))).get("services"));
        assertThat(services).containsKeys("proxy", "app1", "app2", "postgres", "keycloak", "keycloak-db");

        for (String instance : List.of("app1", "app2")) {
            Map<String, Object> svc = map(services.get(instance));
            assertThat(String.join(" ", strings(path(svc, "healthcheck", "test"))))
                    .contains("http://localhost:9000/q/health/ready");
            assertThat(svc).doesNotContainKey("ports"); // only the proxy is published
            Map<String, Object> env = map(svc.get("environment"));
            for (String secret : List.of("ROUNDTABLE_OIDC_CLIENT_SECRET", "ROUNDTABLE_OIDC_STATE_SECRET",
                    "ROUNDTABLE_TOKENS_SECRET", "ROUNDTABLE_ANONYMITY_KEY", "ROUNDTABLE_DB_PASSWORD")) {
                assertThat((String) env.get(secret)).as(secret).startsWith("${" + secret + ":?");
            }
            assertThat(env).containsKeys("ROUNDTABLE_SMTP_HOST", "ROUNDTABLE_TRUSTED_PROXIES");
            assertThat(env.get("ROUNDTABLE_TRUSTED_PROXIES"))
                    .isEqualTo(path(services.get("proxy"), "networks", "default", "ipv4_address"));
        }
        Map<String, Object> keycloak = map(services.get("keycloak"));
        assertThat(strings(keycloak.get("command"))).containsExactly("start", "--import-realm");
        assertThat(strings(keycloak.get("entrypoint"))).contains("/opt/roundtable/import-guard");
        assertThat(map(keycloak.get("environment"))).containsEntry("KC_DB", "postgres")
                .containsEntry("KC_DB_URL", "jdbc:postgresql://keycloak-db:5432/keycloak");
        assertThat(strings(keycloak.get("volumes"))).anyMatch(v -> v.startsWith("../keycloak/roundtable-realm-production.json:"))
                .anyMatch(v -> v.startsWith("../keycloak/import-guard:"));

        // every variable the compose file needs is in the example, and the real file is never committed
        Set<String> needed = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z_]+)").matcher(text);
        while (m.find()) {
            needed.add(m.group(1));
        }
        assertThat(envKeys(COMPOSE.resolve(".env.example"))).containsAll(needed);
        assertThat(gitignored("deploy/compose/.env")).isTrue();

        // the HAProxy configuration gets every variable it reads from the proxy service
        String haproxy = Files.readAllLines(COMPOSE.resolve("haproxy.cfg")).stream()
                .filter(l -> !l.strip().startsWith("#")).collect(Collectors.joining("\n"));
        Set<String> read = new TreeSet<>();
        Matcher h = Pattern.compile("\"\\$\\{([A-Z0-9_]+)}\"").matcher(haproxy);
        while (h.find()) {
            read.add(h.group(1));
        }
        assertThat(map(map(services.get("proxy")).get("environment")).keySet()).containsAll(read);
        assertThat(haproxy).contains("option httpchk GET /q/health/ready").contains("set-header X-Forwarded-Proto https")
                .contains("del-header Forwarded");
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(KUBERNETES.resolve("overlays"))) {
            List<String> names = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).contains("production");
            return names;
        }
    }

    private static Map<String, Object> appContainer() {
        return map(path(objects.get("Deployment/roundtable"), "spec", "template", "spec", "containers", 0));
    }

    private static Map<String, Object> podLabels() {
        return map(path(objects.get("Deployment/roundtable"), "spec", "template", "metadata", "labels"));
    }

    private static Map<String, Object> selector(Map<String, Object> service) {
        return map(path(service, "spec", "selector"));
    }

    private static String imageName(Object image) {
        String s = (String) image;
        return s.substring(0, s.lastIndexOf(':'));
    }

    private static void secretRefs(Object node, Set<List<String>> into) {
        if (node instanceof Map<?, ?> m) {
            for (String holder : List.of("secretKeyRef", "secret", "usernameSecret", "passwordSecret", "accessKeyId",
                    "secretAccessKey")) {
                if (m.get(holder) instanceof Map<?, ?> ref && ref.get("name") instanceof String name
                        && ref.get("key") instanceof String key) {
                    into.add(List.of(name, key));
                }
            }
            m.values().forEach(v -> secretRefs(v, into));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> secretRefs(v, into));
        }
    }

    private static void collect(Object node, Set<String> keys, List<String> into) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (keys.contains(k) && v instanceof String s) {
                    into.add(s);
                } else {
                    collect(v, keys, into);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collect(v, keys, into));
        }
    }

    private static Set<String> envKeys(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean gitignored(String pattern) throws IOException {
        return Files.readAllLines(PROJECT.resolve(".gitignore")).contains(pattern);
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(PROJECT.resolve("pom.xml")));
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Object load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    private static List<Object> loadAll(Path file) throws IOException {
        List<Object> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            new Yaml().loadAll(reader).forEach(d -> docs.add(Objects.requireNonNull(d, file + " has an empty document")));
        }
        return docs;
    }

    /** Walks maps by key and lists by index; null when something on the way is missing. */
    static Object path(Object node, Object... steps) {
        Object current = node;
        for (Object step : steps) {
            if (current instanceof Map<?, ?> m) {
                current = m.get(step);
            } else if (current instanceof List<?> l && step instanceof Integer i && i < l.size()) {
                current = l.get(i);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    static List<String> strings(Object node) {
        return list(node).stream().map(String::valueOf).toList();
    }
}
