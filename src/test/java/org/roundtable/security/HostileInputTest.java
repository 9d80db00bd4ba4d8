package org.roundtable.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.RecordComponentInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.member.MemberService;
import org.roundtable.support.Browser;

/**
 * Issue 13, section 3: every route of the authorization matrix, asked with hostile values in each of its path
 * parameters, query parameters, form fields and JSON fields (NUL, bytes that are not UTF-8, huge and negative numbers,
 * SQL and tsquery metacharacters, JSON of every wrong type) and with 1 MB and 10 MB bodies, never answers 5xx, and a
 * refusal (4xx) changes nothing in the database.
 *
 * <p>The routes, and the data each is asked with, are the matrix's ({@link AuthorizationMatrix},
 * {@link AuthorizationMatrixTest#cell}): each route is asked as the first role the matrix lets do it, so that the
 * hostile value reaches as far into the code as a value can. The parameters of a route are read from the compiled
 * resource method (its {@code @RestPath}, {@code @RestQuery}, {@code @RestForm} parameters and the components of its
 * JSON body record) and from the data of its matrix row: a route added later is driven with what it takes, and a route
 * of the app that is not driven fails the test, as the matrix does.
 *
 * <p>"Changed nothing" is checked with a journal: for the run of this test, every table of the schema (but the
 * exclusions below, each with its reason) gets row triggers that note each row inserted, deleted or updated to other
 * values, when the transaction that wrote it commits (a rolled back write leaves no note, as it leaves no row). Before
 * each hostile request the journal's end is read; after a 4xx, the journal must not have grown. This compares the
 * database's content before and after each refusal row by row, without reading every table twice per request.
 */
@QuarkusTest
class HostileInputTest {

    /**
     * Tables a refused request may write to, and why. Empty: no refusal may write anything. (Rate counters are counted
     * in the writer's transaction, which a refusal rolls back; read markers are written by a page that is shown, never
     * by a refusal.)
     */
    static final Set<String> MAY_CHANGE_ON_REFUSAL = Set.of();

    /**
     * Known faults that another part of the work fixes, left out of the "no 5xx" assertion until it lands. Each names
     * the route, the data and what is wrong.
     */
    static final Map<String, String> KNOWN_FAULTS = Map.of();

    /** The decisions a review decision route is also asked with (the matrix's data decides "keep"). */
    static final List<String> DECISIONS = List.of("keep", "hide", "delete", "edit");

    /** The order in which roles are tried: the first the matrix lets do the route asks it. */
    static final List<String> ASKERS = List.of("member", "facilitator", "admin", "outsider", "network facilitator",
            "other facilitator", "suspended", "guest");

    static final int MB = 1_000_000;

    @Inject
    Pool pool;

    @Inject
    MemberService members;

    @Inject
    RouterRoutes routerRoutes;

    @Inject
    SignedLinks links;

    private final AuthorizationMatrixTest matrix = new AuthorizationMatrixTest();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    private static boolean journalOn;
    private int refusedCount;

    // ---------------------------------------------------------------- hostile values

    /**
     * A hostile value: how it is written in an address, a query or a form (percent-encoded), and as a JSON value (the
     * bytes of a JSON literal; null where it has no JSON form, or the same as another value).
     */
    record Hostile(String label, String url, byte[] json) {
        static Hostile text(String label, String text) {
            return new Hostile(label, URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"),
                    jsonString(text.getBytes(StandardCharsets.UTF_8)));
        }

        static Hostile bytes(String label, String url, byte... raw) {
            return new Hostile(label, url, jsonString(raw));
        }

        static Hostile jsonOnly(String label, String literal) {
            return new Hostile(label, null, literal.getBytes(StandardCharsets.US_ASCII));
        }

        static Hostile number(String label, String digits) {
            return new Hostile(label, digits, digits.getBytes(StandardCharsets.US_ASCII));
        }

        private static byte[] jsonString(byte[] utf8) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('"');
            for (byte b : utf8) {
                if (b == 0) {
                    out.writeBytes("\\u0000".getBytes(StandardCharsets.US_ASCII));
                } else if (b == '"' || b == '\\') {
                    out.write('\\');
                    out.write(b);
                } else {
                    out.write(b);
                }
            }
            out.write('"');
            return out.toByteArray();
        }
    }

    /** Every parameter of every route gets each of these. */
    static final List<Hostile> VALUES = List.of(
            Hostile.bytes("NUL", "a%00b", (byte) 'a', (byte) 0, (byte) 'b'),
            Hostile.bytes("invalid UTF-8 (C3 28)", "%C3%28", (byte) 0xC3, (byte) 0x28),
            Hostile.bytes("invalid UTF-8 (FF)", "%FF", (byte) 0xFF),
            Hostile.number("a huge number", "99999999999999999999999"),
            Hostile.number("a negative id", "-1"),
            Hostile.text("a quote", "'"),
            Hostile.text("an SQL comment", "x';--"),
            // tsquery's operators and a backslash: to_tsquery refuses each of them out of place
            Hostile.text("tsquery metacharacters", "!a & b:* (c | \\"),
            Hostile.text("a lone backslash", "\\"),
            Hostile.jsonOnly("a JSON number", "12345"),
            Hostile.jsonOnly("a JSON float", "1e400"),
            Hostile.jsonOnly("JSON true", "true"),
            Hostile.jsonOnly("a JSON object", "{\"a\": 1}"),
            Hostile.jsonOnly("a JSON array", "[1, \"x\"]"),
            Hostile.jsonOnly("JSON null", "null"));

    /** The bodies every route that takes one is also sent, in its first field. */
    static final List<Hostile> BIG = List.of(big(MB, "1 MB"), big(10 * MB, "10 MB"));

    private static Hostile big(int size, String label) {
        String text = "x".repeat(size);
        return new Hostile("a body of " + label, text, ("\"" + text + "\"").getBytes(StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- the test

    @BeforeEach
    void setUp() {
        matrix.pool = pool;
        matrix.members = members;
        matrix.routerRoutes = routerRoutes;
        matrix.links = links;
        matrix.setUp();
        if (!journalOn) {
            startJournal();
            journalOn = true;
        }
    }

    @AfterAll
    static void stopJournal() {
        // The triggers live only as long as this test: the rest of the suite writes without them.
        journalOn = false;
        stopJournalWith(io.quarkus.arc.Arc.container().instance(Pool.class).get());
    }

    @Test
    void shouldNeverAnswer5xxNorChangeAnythingOnARefusalWhateverAnyRouteIsSent() throws IOException {
        List<Route> routes = routes();
        Set<String> ofTheApp = AuthorizationMatrixTest.routesOfTheApp();
        ofTheApp.addAll(routerRoutes.routes());

        List<String> faults = new ArrayList<>();
        Map<String, Integer> sent = new TreeMap<>();
        for (Route route : routes) {
            for (Slot slot : route.slots()) {
                List<Hostile> values = slot.kind() == Kind.JSON ? VALUES
                        : VALUES.stream().filter(v -> v.url() != null).toList();
                AuthorizationMatrixTest.Cell base = null;
                for (Hostile value : values) {
                    if (base == null) {
                        base = route.cell(matrix);
                    }
                    Outcome outcome = ask(route, base, slot, value);
                    sent.merge(route.row().key(), 1, Integer::sum);
                    outcome.fault().ifPresent(faults::add);
                    if (!outcome.unchanged()) {
                        base = null; // it may have changed what the data is: make it anew for the next value
                    }
                }
            }
            if (route.takesBody()) {
                for (Hostile value : BIG) {
                    Outcome outcome = ask(route, route.cell(matrix), route.bodySlot(), value);
                    sent.merge(route.row().key(), 1, Integer::sum);
                    outcome.fault().ifPresent(faults::add);
                }
            }
        }
        assertThat(faults).as("hostile requests answered 5xx, or refused after changing the database (of "
                + sent.values().stream().mapToInt(Integer::intValue).sum() + " requests to " + sent.size() + " routes, "
                + refusedCount + " refused)").isEmpty();
        // A test that refused nothing would prove nothing about refusals.
        assertThat(refusedCount).as("hostile requests refused").isGreaterThan(sent.size());
        assertThat(sent.keySet()).as("the routes sent hostile values: every route of the app").containsAll(ofTheApp);
    }

    // ---------------------------------------------------------------- asking

    enum Kind {
        PATH, QUERY, FORM, JSON
    }

    /** A parameter of a route: where it goes and its name. */
    record Slot(Kind kind, String name) {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + " " + name;
        }
    }

    /**
     * A row of the matrix as it is driven: the role that asks, the parameters found for it, and fields set for one
     * variant of it (a review decision's action).
     */
    record Route(AuthorizationMatrix.Row row, String role, List<Slot> slots, Map<String, String> fixed) {

        /** The request of the row for the role, made anew, with the fixed fields set. */
        AuthorizationMatrixTest.Cell cell(AuthorizationMatrixTest matrix) {
            AuthorizationMatrixTest.Cell cell = matrix.cell(row, role);
            if (fixed.isEmpty()) {
                return cell;
            }
            Map<String, Object> fields = new LinkedHashMap<>(cell.request().fields());
            fields.putAll(fixed);
            return cell.with(new AuthorizationMatrixTest.Request(cell.request().path(), fields, cell.request().query()));
        }

        boolean takesBody() {
            return !row.method().equals("GET") && !row.method().equals("DELETE");
        }

        /** Where a big body goes: the first field it takes, or a field of its own for a route that takes none. */
        Slot bodySlot() {
            return slots.stream().filter(s -> s.kind() == Kind.FORM || s.kind() == Kind.JSON).findFirst()
                    .orElse(new Slot(row.path().startsWith("/api") ? Kind.JSON : Kind.FORM, "padding"));
        }

        /** As {@link #KNOWN_FAULTS} names it: the route as the matrix writes it, and the fixed fields. */
        String name() {
            return row.route() + fixed.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining());
        }

        String describe() {
            return name() + " (" + row.with() + ", as " + role + ")";
        }
    }

    /** {@code unchanged}: the data the request was made with is as it was (refused, or failed), and may be sent again. */
    record Outcome(boolean unchanged, java.util.Optional<String> fault) {
    }

    private Outcome ask(Route route, AuthorizationMatrixTest.Cell cell, Slot slot, Hostile value) {
        String what = route.describe() + ", " + slot + " = " + value.label();
        long mark = journalEnd();
        int status;
        String answer;
        try {
            HttpResponse<InputStream> response = http.send(request(cell, slot, value), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream body = response.body()) {
                byte[] head = body.readNBytes(300);
                body.transferTo(java.io.OutputStream.nullOutputStream());
                answer = new String(head, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            }
        } catch (IOException e) {
            return new Outcome(false, java.util.Optional.of(what + ": no answer (" + e + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String known = KNOWN_FAULTS.get(route.name());
        if (status >= 500 && known == null) {
            return new Outcome(false, java.util.Optional.of(what + ": " + status + " " + answer));
        }
        boolean refused = status >= 400 && status < 500;
        if (refused) {
            refusedCount++;
        }
        if (refused) {
            List<String> written = journalSince(mark);
            if (!written.isEmpty()) {
                return new Outcome(true, java.util.Optional.of(what + ": refused with " + status
                        + " after writing " + written));
            }
        }
        // A GET changes nothing a later request depends on (a read marker at most): its data may be asked again.
        return new Outcome(refused || status >= 500 || cell.method().equals("GET"), java.util.Optional.empty());
    }

    /** The request of the cell with the slot's value replaced by the hostile one, written as it is (not re-encoded). */
    private HttpRequest request(AuthorizationMatrixTest.Cell cell, Slot slot, Hostile value) {
        AuthorizationMatrixTest.Request data = cell.request();
        String path = cell.template();
        for (Map.Entry<String, String> param : data.path().entrySet()) {
            String v = slot.kind() == Kind.PATH && slot.name().equals(param.getKey()) ? value.url() : encode(param.getValue());
            path = path.replace("{" + param.getKey() + "}", v);
        }
        Map<String, String> query = new LinkedHashMap<>();
        data.query().forEach((k, v) -> query.put(k, encode(v)));
        if (slot.kind() == Kind.QUERY) {
            query.put(slot.name(), value.url());
        }
        String uri = Browser.appUrl() + path + (query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + e.getValue()).collect(Collectors.joining("&")));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(120));
        cell.headers().forEach(builder::header);
        if (!cell.cookies().isEmpty()) {
            builder.header("Cookie", cell.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        boolean body = cell.writes() && !cell.method().equals("DELETE");
        if (!body) {
            return builder.method(cell.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        if (cell.api()) {
            builder.header("Content-Type", "application/json");
            return builder.method(cell.method(), HttpRequest.BodyPublishers.ofByteArray(jsonBody(data.fields(), slot, value)))
                    .build();
        }
        Map<String, String> form = new LinkedHashMap<>();
        cell.formFields().forEach((k, v) -> form.put(k, encode(v)));
        if (slot.kind() == Kind.FORM) {
            form.put(slot.name(), value.url());
        }
        builder.header("Content-Type", "application/x-www-form-urlencoded");
        String encoded = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        return builder.method(cell.method(), HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.US_ASCII)).build();
    }

    private byte[] jsonBody(Map<String, Object> fields, Slot slot, Hostile value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('{');
        boolean first = true;
        Map<String, Object> base = new LinkedHashMap<>(fields);
        if (slot.kind() == Kind.JSON) {
            base.remove(slot.name());
        }
        try {
            for (Map.Entry<String, Object> field : base.entrySet()) {
                out.write((first ? "" : ",").getBytes(StandardCharsets.US_ASCII));
                out.write(json.writeValueAsBytes(field.getKey()));
                out.write(':');
                out.write(json.writeValueAsBytes(field.getValue()));
                first = false;
            }
            if (slot.kind() == Kind.JSON) {
                out.write((first ? "" : ",").getBytes(StandardCharsets.US_ASCII));
                out.write(json.writeValueAsBytes(slot.name()));
                out.write(':');
                out.write(value.json());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('}');
        return out.toByteArray();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---------------------------------------------------------------- the routes and their parameters

    /**
     * Each route of the matrix once (its first row), with the parameters it takes; a review decision route also once
     * per decision. A route that takes no parameter gets one it does not expect, in its query.
     */
    private List<Route> routes() throws IOException {
        Map<String, MethodInfo> methods = resourceMethods();
        Map<String, Route> routes = new LinkedHashMap<>();
        for (AuthorizationMatrix.Row row : AuthorizationMatrix.rows()) {
            if (routes.containsKey(row.key())) {
                continue;
            }
            String role = asker(row);
            List<Slot> slots = slots(row, role, methods.get(row.key()));
            if (slots.isEmpty()) {
                slots = List.of(new Slot(Kind.QUERY, "unexpected"));
            }
            routes.put(row.key(), new Route(row, role, slots, Map.of()));
            if (row.path().endsWith("/decision")) {
                List<Slot> rest = slots.stream().filter(s -> !s.name().equals("action")).toList();
                for (String decision : DECISIONS) {
                    routes.put(row.key() + " " + decision, new Route(row, role, rest, Map.of("action", decision)));
                }
            }
        }
        return new ArrayList<>(routes.values());
    }

    /** The first role (in {@link #ASKERS} order) the matrix lets do the row; else one it refuses as late as it can. */
    private static String asker(AuthorizationMatrix.Row row) {
        for (String role : ASKERS) {
            int status = row.expected().get(role);
            if (status >= 200 && status < 400 && status != 302) {
                return role;
            }
        }
        for (String role : ASKERS) {
            int status = row.expected().get(role);
            if (status != 401 && status != 302 && status != 404) {
                return role;
            }
        }
        return "member";
    }

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    /** The parameters of the row's route: from its resource method when there is one, and from its matrix data. */
    private List<Slot> slots(AuthorizationMatrix.Row row, String role, MethodInfo method) {
        Set<Slot> slots = new LinkedHashSet<>();
        Matcher path = PATH_PARAM.matcher(row.path());
        while (path.find()) {
            slots.add(new Slot(Kind.PATH, path.group(1)));
        }
        boolean api = row.path().startsWith("/api");
        boolean body = !row.method().equals("GET") && !row.method().equals("DELETE");
        if (method != null) {
            for (MethodParameterInfo parameter : method.parameters()) {
                String name = parameter.name();
                Kind kind = null;
                for (AnnotationInstance annotation : method.annotations()) {
                    if (annotation.target() == null || annotation.target().kind() != org.jboss.jandex.AnnotationTarget.Kind.METHOD_PARAMETER
                            || annotation.target().asMethodParameter().position() != parameter.position()) {
                        continue;
                    }
                    String type = annotation.name().local();
                    kind = switch (type) {
                        case "RestQuery", "QueryParam" -> Kind.QUERY;
                        case "RestForm", "FormParam" -> Kind.FORM;
                        case "RestPath", "PathParam" -> Kind.PATH;
                        default -> kind;
                    };
                    if (annotation.value() != null && !annotation.value().asString().isEmpty()) {
                        name = annotation.value().asString();
                    }
                }
                if (kind == Kind.QUERY || kind == Kind.FORM) {
                    slots.add(new Slot(kind, name));
                } else if (kind == null && api && body && parameter.type().name().toString().startsWith("org.roundtable")) {
                    for (String field : recordComponents(parameter.type().name())) {
                        slots.add(new Slot(Kind.JSON, field));
                    }
                }
            }
        }
        if (method == null) {
            // The app's own Vert.x routes have no resource method: what the matrix's data sends is what they take.
            AuthorizationMatrixTest.Cell cell = matrix.cell(row, role);
            cell.request().query().keySet().forEach(q -> slots.add(new Slot(Kind.QUERY, q)));
            if (body) {
                cell.request().fields().keySet().forEach(f -> slots.add(new Slot(api ? Kind.JSON : Kind.FORM, f)));
            }
        }
        return new ArrayList<>(slots);
    }

    private Index index;

    private List<String> recordComponents(DotName type) {
        ClassInfo info = index.getClassByName(type);
        assertThat(info).as("the body type " + type + " in the compiled classes").isNotNull();
        return info.recordComponents().stream().map(RecordComponentInfo::name).toList();
    }

    private static final Set<String> HTTP_METHODS = AuthorizationMatrixTest.HTTP_METHODS;
    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");

    /** Every JAX-RS resource method of the compiled app by its route ("METHOD /path/{}", as the matrix keys them). */
    private Map<String, MethodInfo> resourceMethods() throws IOException {
        Path classes = AuthorizationMatrixTest.PROJECT.resolve("target/classes");
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes.resolve("org/roundtable"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        index = indexer.complete();
        Map<String, MethodInfo> methods = new TreeMap<>();
        for (ClassInfo type : index.getKnownClasses()) {
            AnnotationInstance classPath = type.declaredAnnotation(PATH);
            if (classPath == null) {
                continue;
            }
            for (MethodInfo method : type.methods()) {
                for (AnnotationInstance annotation : method.declaredAnnotations()) {
                    if (!HTTP_METHODS.contains(annotation.name().local())
                            || !annotation.name().packagePrefix().equals("jakarta.ws.rs")) {
                        continue;
                    }
                    AnnotationInstance methodPath = method.declaredAnnotation(PATH);
                    String path = classPath.value().asString() + "/" + (methodPath == null ? "" : methodPath.value().asString());
                    methods.put(annotation.name().local() + " " + AuthorizationMatrix.normalize(path), method);
                }
            }
        }
        return methods;
    }

    // ---------------------------------------------------------------- the journal of changes

    private void startJournal() {
        List<String> tables = new ArrayList<>();
        pool.query("select tablename from pg_tables where schemaname = 'public'").execute().await().indefinitely()
                .forEach(row -> tables.add(row.getString("tablename")));
        sql("create table if not exists hostile_change (id bigserial primary key, tbl text not null, op text not null, "
                + "row_data text)");
        sql("""
                create or replace function hostile_note() returns trigger language plpgsql as $$
                begin
                    insert into hostile_change (tbl, op, row_data)
                    values (tg_table_name, tg_op, left(coalesce(to_jsonb(new), to_jsonb(old))::text, 300));
                    return null;
                end $$
                """);
        for (String table : tables) {
            if (table.equals("hostile_change") || table.startsWith("flyway_") || MAY_CHANGE_ON_REFUSAL.contains(table)) {
                continue;
            }
            sql("drop trigger if exists hostile_rows on " + table);
            sql("drop trigger if exists hostile_updates on " + table);
            sql("create trigger hostile_rows after insert or delete on " + table
                    + " for each row execute function hostile_note()");
            sql("create trigger hostile_updates after update on " + table
                    + " for each row when (old.* is distinct from new.*) execute function hostile_note()");
        }
        // The journal itself, checked: a committed write is noted, a rolled back one and an update to the same values
        // are not.
        long mark = journalEnd();
        pool.withTransaction(conn -> conn.query("update channel set name = name where id = (select min(id) from channel)")
                .execute()).await().indefinitely();
        assertThat(journalSince(mark)).as("an update to the same values").isEmpty();
        pool.withTransaction(conn -> conn.query("insert into channel (slug, name, kind) values ('hostile-journal', 'J', "
                + "'network')").execute().flatMap(x -> io.smallrye.mutiny.Uni.createFrom().failure(
                        new IllegalStateException("rolled back")))).onFailure().recoverWithNull().await().indefinitely();
        assertThat(journalSince(mark)).as("a rolled back insert").isEmpty();
        sql("update channel set description = description || '' where id = (select min(id) from channel)");
        sql("insert into channel (slug, name, kind) values ('hostile-journal', 'J', 'network')");
        sql("delete from channel where slug = 'hostile-journal'");
        assertThat(journalSince(mark)).as("a committed insert and delete").hasSize(2)
                .allSatisfy(change -> assertThat(change).contains("channel"));
    }

    private static void stopJournalWith(Pool pool) {
        List<String> tables = new ArrayList<>();
        pool.query("select tablename from pg_tables where schemaname = 'public'").execute().await().indefinitely()
                .forEach(row -> tables.add(row.getString("tablename")));
        for (String table : tables) {
            pool.query("drop trigger if exists hostile_rows on " + table).execute().await().indefinitely();
            pool.query("drop trigger if exists hostile_updates on " + table).execute().await().indefinitely();
        }
        pool.query("drop function if exists hostile_note() cascade").execute().await().indefinitely();
        pool.query("drop table if exists hostile_change").execute().await().indefinitely();
    }

    private long journalEnd() {
        return pool.query("select coalesce(max(id), 0) as id from hostile_change").execute().await().indefinitely()
                .iterator().next().getLong("id");
    }

    private List<String> journalSince(long mark) {
        List<String> written = new ArrayList<>();
        for (Row row : pool.preparedQuery("select tbl, op, row_data from hostile_change where id > $1 order by id limit 5")
                .execute(Tuple.of(mark)).await().indefinitely()) {
            written.add(row.getString("op") + " " + row.getString("tbl") + " " + row.getString("row_data"));
        }
        return written;
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }
}
