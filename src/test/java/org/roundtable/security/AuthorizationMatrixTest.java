package org.roundtable.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.member.MemberService;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Sessions;
import org.roundtable.support.TestData;

/**
 * Asks every cell of {@link AuthorizationMatrix} against the real stack, checks that every route of the app (found in
 * the compiled classes: JAX-RS {@code @Path} and HTTP method annotations; and the app's own Vert.x routes, read from
 * the running router) has a row, and keeps docs/security/authorization.md equal to the matrix.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    static final Path PROJECT = Path.of(System.getProperty("roundtable.project.dir", ".")).toAbsolutePath();
    static final Path DOC = PROJECT.resolve("docs/security/authorization.md");
    static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    @Inject
    Pool pool;

    @Inject
    MemberService members;

    @Inject
    RouterRoutes routerRoutes;

    @Inject
    SignedLinks links;

    /** The people of the matrix (usernames by column) and the data they are asked about; made once per run. */
    static Map<String, String> people;
    static Fixture fixture;

    record Fixture(String cohort, String secondChannel, String undiscussables, String networkChannel, long cohortThread, long cohortPost,
            long facilitatorPost, long networkThread, long networkPost, long anonymousThread) {
    }

    /** What one cell sends: path parameters, fields (JSON for /api, a form for pages) and query parameters. */
    record Request(Map<String, String> path, Map<String, Object> fields, Map<String, String> query) {
        static Request of(Map<String, String> path) {
            return new Request(path, Map.of(), Map.of());
        }

        Request with(Map<String, Object> fields) {
            return new Request(path, fields, query);
        }
    }

    record Scenario(String description, Function<String, Request> make) {
    }

    /** The data rows are asked with (the "with" column), by name; each cell makes its own where it changes state. */
    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        if (people != null) {
            return;
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("outsider", TestData.member("mx-out"));
        p.put("member", TestData.member("mx-mem"));
        p.put("facilitator", TestData.member("mx-fac"));
        p.put("other facilitator", TestData.member("mx-ofac"));
        p.put("network facilitator", TestData.member("mx-nfac", "facilitator"));
        p.put("admin", TestData.member("mx-admin", "admin"));
        p.put("suspended", TestData.member("mx-susp"));
        sql("update member set suspended_until = 'infinity', suspension_reason = 'authorization matrix' where username = $1",
                p.get("suspended"));
        members.forget(memberId(p.get("suspended")));

        String cohort = TestData.cohort(pool, p.get("facilitator"), p.get("member"), p.get("suspended"));
        TestData.cohort(pool, p.get("other facilitator"));
        String undiscussables = cohort + "-u";
        String secondChannel = cohort + "-2";
        sql("insert into channel (slug, name, kind, cohort_id) select $1, 'Second', 'cohort', id from cohort where slug = $2",
                secondChannel, cohort);
        sql("insert into channel (slug, name, kind, cohort_id) select $1, 'Undiscussables', 'undiscussables', id from cohort where slug = $2",
                undiscussables, cohort);
        long cohortThread = TestData.thread(p.get("member"), cohort, "A cohort thread", "For the cohort only.");
        long facilitatorPost = TestData.reply(p.get("facilitator"), cohortThread, null, "A reply of the facilitator.");
        String network = TestData.networkChannel(pool);
        long networkThread = TestData.thread(p.get("outsider"), network, "A network thread", "For every member.");
        long anonymousThread = insertAnonymousThread(undiscussables);
        fixture = new Fixture(cohort, secondChannel, undiscussables, network, cohortThread, TestData.openingPost(p.get("member"), cohortThread),
                facilitatorPost, networkThread, TestData.openingPost(p.get("outsider"), networkThread), anonymousThread);
        people = p;
        defineScenarios();
    }

    private void defineScenarios() {
        Fixture f = fixture;
        Map<String, String> p = people;
        SCENARIOS.clear();
        scenario("cohort", "the test cohort, with its facilitator, a member and a suspended member",
                who -> Request.of(Map.of("slug", f.cohort())));
        scenario("cohort insight file", "the test cohort's weekly figures as CSV",
                who -> Request.of(Map.of("slug", f.cohort(), "file", "weekly.csv")));
        scenario("insight file", "the network's weekly figures as CSV", who -> Request.of(Map.of("file", "weekly.csv")));
        scenario("cohort member", "the cohort's member (their directory page)",
                who -> Request.of(Map.of("username", p.get("member"))));
        scenario("markdown", "a text to render", who -> Request.of(Map.of()).with(Map.of("body", "**bold**")));
        scenario("network channel", "a network channel (a new thread: title and body)",
                who -> Request.of(Map.of("slug", f.networkChannel())).with(Map.of("title", "Asked by " + who, "body", "Text")));
        scenario("cohort channel", "the cohort's channel (a new thread: title and body)",
                who -> Request.of(Map.of("slug", f.cohort())).with(Map.of("title", "Asked by " + who, "body", "Text")));
        scenario("cohort undiscussables", "the cohort's own undiscussables channel",
                who -> Request.of(Map.of("slug", f.undiscussables())));
        scenario("network thread", "a thread in a network channel", who -> Request.of(Map.of("id", id(f.networkThread()))));
        scenario("cohort thread", "a thread in the cohort's channel (a reply: body)",
                who -> Request.of(Map.of("id", id(f.cohortThread()))).with(Map.of("body", "A reply by " + who)));
        scenario("cohort post", "the opening post of the cohort thread", who -> Request.of(Map.of("id", id(f.cohortPost()))));
        scenario("member's thread", "a new thread of the cohort's member with a reply of the facilitator (the answer: that "
                + "reply; a state: locked; a move: to the cohort's second channel)",
                who -> {
                    long thread = TestData.thread(p.get("member"), f.cohort(), "Question of the member", "Which?");
                    long reply = TestData.reply(p.get("facilitator"), thread, null, "This one.");
                    return Request.of(Map.of("id", id(thread))).with(Map.of("postId", reply, "state", "locked", "on", "true",
                            "channel", f.secondChannel()));
                });
        scenario("thread to remove", "a new thread of the cohort's member, and a reason to hide or delete it",
                who -> Request.of(Map.of("id", id(TestData.thread(p.get("member"), f.cohort(), "To remove", "Text."))))
                        .with(Map.of("reason", "Matrix")));
        scenario("thread to hide from its page", "a new thread of the cohort's member (the form: action hide, a reason)",
                who -> Request.of(Map.of("id", id(TestData.thread(p.get("member"), f.cohort(), "To hide", "Text."))))
                        .with(Map.of("action", "hide", "reason", "Matrix")));
        scenario("network thread to remove", "a new thread in the network channel, and a reason to hide it",
                who -> Request.of(Map.of("id", id(TestData.thread(p.get("outsider"), f.networkChannel(), "To remove", "Text."))))
                        .with(Map.of("reason", "Matrix")));
        scenario("hidden thread", "a new thread of the cohort's member, hidden by a facilitator",
                who -> {
                    long thread = TestData.thread(p.get("member"), f.cohort(), "Hidden", "Text.");
                    sql("update thread set hidden_at = now(), hidden_reason = 'Matrix' where id = $1", thread);
                    return Request.of(Map.of("id", id(thread)));
                });
        scenario("member's post", "a new reply of the cohort's member in the cohort thread (an edit: body, version 1; a flag: "
                + "off-topic; a review decision: keep)",
                who -> {
                    String post = id(TestData.reply(p.get("member"), f.cohortThread(), null, "Mine"));
                    return Request.of(Map.of("id", post, "postId", post, "itemId", post))
                            .with(Map.of("body", "Edited", "version", 1, "reason", "off-topic", "action", "keep"));
                });
        scenario("facilitator's post", "the facilitator's reply in the cohort thread, reaction \"thanks\"",
                who -> Request.of(Map.of("id", id(f.facilitatorPost()), "kind", "thanks")));
        scenario("network post", "the opening post of the network thread", who -> Request.of(Map.of("id", id(f.networkPost()))));
        scenario("held anonymous post", "a new anonymous reply held for approval in the cohort's undiscussables",
                who -> Request.of(Map.of("id", id(insertAnonymousReply(f.anonymousThread(), true)))));
        scenario("anonymous post", "a new anonymous reply in the cohort's undiscussables",
                who -> Request.of(Map.of("id", id(insertAnonymousReply(f.anonymousThread(), false)))));
        scenario("member to suspend", "a new member (not in the cohort) to suspend, with a reason",
                who -> {
                    String member = TestData.memberRow(pool, "mx-row");
                    return Request.of(Map.of("id", id(memberId(member)), "username", member)).with(Map.of("reason", "Matrix"));
                });
        scenario("member to silence", "a new member of the cohort to make read-only in it, with a reason",
                who -> {
                    String member = TestData.memberRow(pool, "mx-row");
                    TestData.addToCohort(pool, f.cohort(), "member", member);
                    return Request.of(Map.of("id", id(memberId(member)), "username", member, "cohort", f.cohort()))
                            .with(Map.of("cohort", f.cohort(), "reason", "Matrix"));
                });
        scenario("new cohort", "a new cohort's address and name",
                who -> Request.of(Map.of()).with(Map.of("slug", "mx-" + UUID.randomUUID().toString().substring(0, 8), "name", "New")));
        scenario("fresh cohort", "a new cohort with the same people as the test cohort (a change: its name; archiving)",
                who -> Request.of(Map.of("slug", freshCohort())).with(Map.of("name", "Renamed", "archived", "true")));
        scenario("member to appoint", "a new cohort with the same people, and a member outside it to appoint facilitator",
                who -> {
                    String member = TestData.memberRow(pool, "mx-row");
                    return Request.of(Map.of("slug", freshCohort(), "username", member))
                            .with(Map.of("username", member, "action", "appoint"));
                });
        scenario("facilitator to dismiss", "a new cohort with the same people, and its facilitator to make a member again",
                who -> Request.of(Map.of("slug", freshCohort(), "username", p.get("facilitator")))
                        .with(Map.of("username", p.get("facilitator"), "action", "dismiss")));
        scenario("member to remove", "a new cohort with the same people, and another member of it to remove",
                who -> {
                    String cohort = freshCohort();
                    String member = TestData.memberRow(pool, "mx-row");
                    TestData.addToCohort(pool, cohort, "member", member);
                    return Request.of(Map.of("slug", cohort, "username", member));
                });
        scenario("link invitation", "the test cohort (a new invitation link for anyone)",
                who -> Request.of(Map.of("slug", f.cohort())));
        scenario("pending invitation", "a new pending invitation of the test cohort",
                who -> Request.of(Map.of("slug", f.cohort(), "id", id(invitation(f.cohort(), Map.of()).id()))));
        scenario("link to join", "a new cohort nobody of the columns is in, and a link for anyone to join it",
                who -> {
                    String cohort = TestData.cohort(pool, TestData.memberRow(pool, "mx-row"));
                    return joinRequest(cohort, invitation(cohort, Map.of()).token());
                });
        scenario("invitation for another address", "a new cohort, and an invitation sent to an address none of them has",
                who -> {
                    String cohort = TestData.cohort(pool, TestData.memberRow(pool, "mx-row"));
                    return joinRequest(cohort, invitation(cohort, Map.of("email", "nobody-" + UUID.randomUUID() + "@example.org")).token());
                });
        scenario("link to another cohort", "the test cohort's address, and a link to join another cohort",
                who -> {
                    String other = TestData.cohort(pool, TestData.memberRow(pool, "mx-row"));
                    return joinRequest(f.cohort(), invitation(other, Map.of()).token());
                });
        scenario("followed cohort thread", "the cohort thread, level watching",
                who -> Request.of(Map.of("id", id(f.cohortThread()))).with(Map.of("level", "watching")));
        scenario("followed cohort channel", "the cohort's channel, level watching",
                who -> Request.of(Map.of("slug", f.cohort())).with(Map.of("level", "watching")));
        scenario("tag", "the tag \"matrix\"", who -> Request.of(Map.of("tag", "matrix")));
        scenario("a notification", "the id of a notification (opening marks it read when it is the viewer's; every "
                + "answer is a 303: to what it is about, or to the list)", who -> Request.of(Map.of("id", "1")));
        scenario("followed tag", "the tag \"matrix\", level watching",
                who -> Request.of(Map.of("tag", "matrix")).with(Map.of("level", "watching")));
        scenario("digest preferences", "a daily digest at 7 UTC",
                who -> Request.of(Map.of()).with(Map.of("digest", "daily", "frequency", "daily", "hour", 7, "weekday", 1,
                        "timeZone", "UTC", "mentionMails", true)));
        scenario("unsubscribe link", "a signed one-click unsubscribe link of a member (the token is the authority)",
                who -> unsubscribe(org.roundtable.digest.DigestMail.UNSUBSCRIBE, false));
        scenario("broken unsubscribe link", "an unsubscribe link whose token was changed",
                who -> unsubscribe(org.roundtable.digest.DigestMail.UNSUBSCRIBE, true));
        scenario("mention unsubscribe link", "a signed one-click link of a member that turns their mention mails off",
                who -> unsubscribe(org.roundtable.digest.DigestMail.MENTION_UNSUBSCRIBE, false));
        scenario("new cohort channel", "the test cohort, and a new channel's address and name",
                who -> {
                    String slug = "mx-" + UUID.randomUUID().toString().substring(0, 8);
                    return Request.of(Map.of("slug", f.cohort())).with(Map.of("slug", slug, "channelSlug", slug, "name", "New"));
                });
    }

    /**
     * A member's one-click unsubscribe link for a purpose (the token in the query, as mail clients post it), or a broken
     * one.
     */
    private Request unsubscribe(String purpose, boolean broken) {
        String token = links.sign(purpose,
                Map.of("sub", id(memberId(TestData.memberRow(pool, "mx-row")))), java.time.Duration.ofDays(1));
        String sent = broken ? token.substring(0, token.length() - 3) : token;
        return new Request(Map.of(), Map.of("token", sent), Map.of("token", sent));
    }

    private static void scenario(String name, String description, Function<String, Request> make) {
        SCENARIOS.put(name, new Scenario(description, make));
    }

    // ---------------------------------------------------------------- the checks

    @Test
    void shouldHaveARowForEveryRouteOfTheApp() throws IOException {
        Set<String> routes = routesOfTheApp();
        routes.addAll(routerRoutes.routes());
        Set<String> inMatrix = new TreeSet<>();
        AuthorizationMatrix.rows().forEach(row -> inMatrix.add(row.key()));
        Set<String> missing = new TreeSet<>(routes);
        missing.removeAll(inMatrix);
        Set<String> unknown = new TreeSet<>(inMatrix);
        unknown.removeAll(routes);
        assertThat(missing).as("routes of the app without a row in AuthorizationMatrix.TABLE (add one)").isEmpty();
        assertThat(unknown).as("rows of AuthorizationMatrix.TABLE for routes the app does not have").isEmpty();
        assertThat(routes).as("routes found in the compiled classes").hasSizeGreaterThan(40);
    }

    @Test
    void shouldNameOnlyKnownDataInTheMatrix() {
        for (AuthorizationMatrix.Row row : AuthorizationMatrix.rows()) {
            assertThat(row.with().equals("—") || SCENARIOS.containsKey(row.with()))
                    .as("the data \"" + row.with() + "\" of " + row.route()).isTrue();
        }
    }

    @Test
    void shouldKeepTheDocumentEqualToTheMatrix() throws IOException {
        Map<String, String> descriptions = new LinkedHashMap<>();
        SCENARIOS.forEach((name, s) -> descriptions.put(name, s.description()));
        String rendered = AuthorizationMatrix.document(descriptions);
        String committed = Files.exists(DOC) ? Files.readString(DOC) : "";
        if (!rendered.equals(committed)) {
            Files.writeString(DOC, rendered);
        }
        assertThat(committed).as(DOC + " differed from the matrix; it has been rewritten: review and commit it")
                .isEqualTo(rendered);
    }

    @Test
    void shouldAnswerEveryCellAsTheMatrixSays() {
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (AuthorizationMatrix.Row row : AuthorizationMatrix.rows()) {
            for (String role : AuthorizationMatrix.ROLES) {
                int expected = row.expected().get(role);
                int actual = ask(row, role);
                cells++;
                if (actual != expected) {
                    wrong.add(String.format("%-58s %-30s %-20s expected %d, got %d", row.route(), row.with(), role, expected, actual));
                }
            }
        }
        assertThat(wrong).as("cells answering otherwise than the matrix (of " + cells + ")").isEmpty();
    }

    /**
     * Every state-changing page route (every method but GET outside /api; the one-click unsubscribe routes are
     * authorised by their signed URLs instead) refuses, with 403, a request of a role that may use it when the request carries no
     * token (no body, no content type: what a cross-site {@code fetch(..., {mode: 'no-cors'})} sends) or the token of
     * another session (what an attacker who chose a cookie/field pair, or has a session of their own, can send).
     */
    @Test
    void shouldRefuseEveryPageWriteWithoutTheTokenOfItsOwnSession() {
        List<String> wrong = new ArrayList<>();
        int routes = 0;
        for (AuthorizationMatrix.Row row : AuthorizationMatrix.rows()) {
            if (row.path().startsWith("/api") || row.method().equals("GET")
                    || row.path().equals(org.roundtable.digest.UnsubscribeRoute.PATH)
                    || row.path().equals(org.roundtable.digest.UnsubscribeRoute.MENTIONS_PATH)) {
                continue;
            }
            String role = AuthorizationMatrix.ROLES.stream().filter(r -> !r.equals("guest"))
                    .filter(r -> row.expected().get(r) < 400).findFirst().orElse("member");
            String other = role.equals("outsider") ? "member" : "outsider";
            routes++;
            int bare = askAsPage(row, role, null, false);
            int foreign = askAsPage(row, role, csrfToken(new HashMap<>(Sessions.cookies(people.get(other)))), true);
            if (bare != 403 || foreign != 403) {
                wrong.add(String.format("%-58s %-20s without a token: %d, with another session's token: %d",
                        row.route(), role, bare, foreign));
            }
        }
        assertThat(wrong).as("page writes not refused without their session's token (of " + routes + ")").isEmpty();
        assertThat(routes).as("page writes in the matrix").isGreaterThan(30);
    }

    /** A page request of the role with the given CSRF token (null: none), with the scenario's form or no body at all. */
    private int askAsPage(AuthorizationMatrix.Row row, String role, String csrf, boolean form) {
        Request request = row.with().equals("—") ? Request.of(Map.of()) : SCENARIOS.get(row.with()).make().apply(role);
        String path = row.path();
        for (Map.Entry<String, String> param : request.path().entrySet()) {
            path = path.replace("{" + param.getKey() + "}", param.getValue());
        }
        RequestSpecification spec = given().redirects().follow(false).cookies(new HashMap<>(Sessions.cookies(people.get(role))));
        request.query().forEach(spec::queryParam);
        if (form) {
            spec.contentType(ContentType.URLENC).formParam("csrf-token", csrf);
            request.fields().forEach((k, v) -> spec.formParam(k, String.valueOf(v)));
        }
        return spec.request(row.method(), path).statusCode();
    }

    // ---------------------------------------------------------------- asking one cell

    private int ask(AuthorizationMatrix.Row row, String role) {
        Cell cell = cell(row, role);
        RequestSpecification spec = given().redirects().follow(false);
        cell.request().query().forEach(spec::queryParam);
        cell.headers().forEach(spec::header);
        spec.cookies(cell.cookies());
        if (cell.writes() && cell.api() && !row.method().equals("DELETE")) {
            spec.contentType(ContentType.JSON).body(cell.request().fields());
        } else if (cell.writes() && !cell.api()) {
            spec.contentType(ContentType.URLENC);
            cell.formFields().forEach(spec::formParam);
        }
        Response response = spec.request(row.method(), cell.path());
        return response.statusCode();
    }

    /**
     * What one cell of the matrix sends, before it is sent: the request its data makes (path parameters, fields, query),
     * the address with the parameters filled in, and how the asker is known (a bearer token for /api, the session's
     * cookies and the CSRF token for pages). HostileInputTest sends the same cells with hostile values in them.
     */
    record Cell(String method, String template, Request request, boolean api, boolean writes, Map<String, String> headers,
            Map<String, String> cookies, Map<String, String> hiddenFields) {

        /** The address with the request's path parameters filled in (as they are: callers encode what needs it). */
        String path() {
            String path = template;
            for (Map.Entry<String, String> param : request.path().entrySet()) {
                path = path.replace("{" + param.getKey() + "}", param.getValue());
            }
            return path;
        }

        /** The fields a page form sends: the hidden ones (CSRF token) and the request's, as text. */
        Map<String, String> formFields() {
            Map<String, String> fields = new LinkedHashMap<>(hiddenFields);
            request.fields().forEach((k, v) -> fields.put(k, String.valueOf(v)));
            return fields;
        }

        Cell with(Request other) {
            return new Cell(method, template, other, api, writes, headers, cookies, hiddenFields);
        }
    }

    /** The cell of a row for a role, with its data made anew (rows that change state make their own each time). */
    Cell cell(AuthorizationMatrix.Row row, String role) {
        Request request = row.with().equals("—") ? Request.of(Map.of()) : SCENARIOS.get(row.with()).make().apply(role);
        boolean api = row.path().startsWith("/api");
        boolean guest = role.equals("guest");
        boolean writes = !row.method().equals("GET");
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> cookies = new HashMap<>();
        Map<String, String> hidden = new LinkedHashMap<>();
        if (api) {
            if (!guest) {
                headers.put("Authorization", "Bearer " + Keycloak.token(people.get(role)));
            }
        } else if (!guest) {
            cookies.putAll(Sessions.cookies(people.get(role)));
            if (writes) {
                hidden.put("csrf-token", csrfToken(cookies));
            }
        }
        return new Cell(row.method(), row.path(), request, api, writes, headers, cookies, hidden);
    }

    /** The CSRF token of a page session, as its pages carry it. */
    private static final Map<String, String> CSRF = new java.util.concurrent.ConcurrentHashMap<>();

    private static String csrfToken(Map<String, String> cookies) {
        return CSRF.computeIfAbsent(String.valueOf(cookies), s -> org.roundtable.support.Pages.csrfToken(cookies));
    }

    private static Request joinRequest(String slug, String token) {
        return new Request(Map.of("slug", slug), Map.of("token", token), Map.of("token", token));
    }

    record Made(long id, String token) {
    }

    /** An invitation made by the admin (who runs every cohort) through the API. */
    private static Made invitation(String cohort, Map<String, Object> body) {
        var made = given().auth().oauth2(Keycloak.token(people.get("admin"))).contentType(ContentType.JSON).body(body)
                .post("/api/cohorts/" + cohort + "/invitations").then().statusCode(201).extract().jsonPath();
        String link = made.getString("link");
        return new Made(made.getLong("id"),
                URLDecoder.decode(link.substring(link.indexOf("token=") + 6), StandardCharsets.UTF_8));
    }

    /** A new cohort with the test cohort's people in their roles (the changes a cell makes stay in it). */
    private String freshCohort() {
        return TestData.cohort(pool, people.get("facilitator"), people.get("member"), people.get("suspended"));
    }

    private long insertAnonymousThread(String channel) {
        long thread = pool.preparedQuery("""
                insert into thread (channel_id, title, author_pseudonym, post_count)
                select id, 'An anonymous thread', $2, 1 from channel where slug = $1 returning id
                """).execute(Tuple.of(channel, pseudonym())).await().indefinitely().iterator().next().getLong("id");
        sql("insert into post (thread_id, number, path, pseudonym, source, html) values ($1, 1, '{}', $2, 'Q', '<p>Q</p>')",
                thread, pseudonym());
        return thread;
    }

    private long insertAnonymousReply(long thread, boolean held) {
        return pool.preparedQuery("""
                with n as (select nextval(pg_get_serial_sequence('post', 'id')) as id),
                t as (update thread set post_count = post_count + 1 where id = $1 returning post_count)
                insert into post (id, thread_id, number, path, pseudonym, source, html, held)
                overriding system value
                select n.id, $1, t.post_count, array[t.post_count::bigint], $2, 'A', '<p>A</p>', $3 from n, t
                returning id
                """).execute(Tuple.of(thread, pseudonym(), held)).await().indefinitely().iterator().next().getLong("id");
    }

    private static String pseudonym() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void sql(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }

    private long memberId(String username) {
        return pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(username)).await()
                .indefinitely().iterator().next().getLong("id");
    }

    private static String id(long id) {
        return String.valueOf(id);
    }

    // ---------------------------------------------------------------- the routes of the app

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");

    /** Every JAX-RS route of the compiled app: "METHOD /path/{}" (parameters unnamed). */
    static Set<String> routesOfTheApp() throws IOException {
        Path classes = PROJECT.resolve("target/classes");
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes.resolve("org/roundtable"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        Index index = indexer.complete();
        Set<String> routes = new TreeSet<>();
        for (ClassInfo type : index.getKnownClasses()) {
            AnnotationInstance classPath = type.declaredAnnotation(PATH);
            if (classPath == null) {
                continue;
            }
            for (MethodInfo method : type.methods()) {
                for (AnnotationInstance annotation : method.declaredAnnotations()) {
                    String simple = annotation.name().local();
                    if (!HTTP_METHODS.contains(simple) || !annotation.name().packagePrefix().equals("jakarta.ws.rs")) {
                        continue;
                    }
                    AnnotationInstance methodPath = method.declaredAnnotation(PATH);
                    String path = classPath.value().asString() + "/"
                            + (methodPath == null ? ""
                                    : methodPath.value().asString());
                    routes.add(simple + " " + AuthorizationMatrix.normalize(path));
                }
            }
        }
        return routes;
    }
}
