package org.roundtable.demo;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roundtable.db.Database;
import org.roundtable.moderation.ReviewQueue;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Viewer;
import org.roundtable.thread.AcceptedAnswers;
import org.roundtable.thread.PostCreator;

/**
 * The demo network of the local run (profile dev only; never in tests or production): members matching the demo
 * users of deploy/keycloak/roundtable-realm.json, two cohorts, the network channels, the undiscussables and a dozen
 * nested conversations. Idempotent: rows are upserted by their natural keys, and threads and replies go through the
 * app's own services with fixed idempotency keys, so a second start adds nothing.
 */
@ApplicationScoped
public class DemoSeed {

    private final Database db;
    private final PostCreator threads;
    private final AcceptedAnswers answers;
    private final ReviewQueue moderation;
    private final boolean enabled;

    public DemoSeed(Database db, PostCreator threads, AcceptedAnswers answers, ReviewQueue moderation,
            @ConfigProperty(name = "roundtable.demo.seed") boolean enabled) {
        this.db = db;
        this.threads = threads;
        this.answers = answers;
        this.moderation = moderation;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        JsonObject network = load();
        seed(network).await().atMost(Duration.ofMinutes(2));
        Log.infof("Demo network seeded: %d channels, %d threads", network.getJsonArray("channels").size(),
                network.getJsonArray("threads").size());
    }

    Uni<Void> seed(JsonObject network) {
        Map<String, Viewer> members = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Object o : network.getJsonArray("members")) {
            JsonObject m = (JsonObject) o;
            chain = chain.flatMap(x -> member(m)).invoke(v -> members.put(v.username(), v)).replaceWithVoid();
        }
        for (Object o : network.getJsonArray("cohorts")) {
            JsonObject c = (JsonObject) o;
            chain = chain.flatMap(x -> cohort(c, members));
        }
        for (Object o : network.getJsonArray("channels")) {
            JsonObject c = (JsonObject) o;
            chain = chain.flatMap(x -> channel(c));
        }
        for (Object o : network.getJsonArray("threads")) {
            JsonObject t = (JsonObject) o;
            // The seed writes a year of conversation in a second: its writes do not count against anyone's rate limits.
            chain = chain.flatMap(x -> thread(t, members))
                    .flatMap(x -> db.execute("delete from rate_counter", Tuple.tuple()))
                    .flatMap(x -> db.execute("delete from anonymous_counter", Tuple.tuple())).replaceWithVoid();
        }
        for (Object o : network.getJsonArray("flags", new JsonArray())) {
            JsonObject flag = (JsonObject) o;
            for (Object by : flag.getJsonArray("by")) {
                chain = chain.flatMap(x -> flag(flag, members.get(by.toString())));
            }
        }
        return chain;
    }

    /** A flag for fran's review queue; a second start finds it there already. */
    private Uni<Void> flag(JsonObject flag, Viewer by) {
        return db.one("select p.id from post p join thread t on t.id = p.thread_id where t.title = $1 and p.number = $2",
                Tuple.of(flag.getString("thread"), flag.getInteger("number")), row -> row.getLong("id"))
                .flatMap(postId -> moderation.flag(by, postId, flag.getString("reason"), flag.getString("text")))
                .onFailure(DomainException.class).recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Viewer> member(JsonObject m) {
        String[] roles = m.getJsonArray("roles").stream().map(Object::toString).toArray(String[]::new);
        return db.one("""
                insert into member (subject, username, name, email, title, school, district, roles, created_at, last_seen_on)
                values ($1, $2, $3, $4, $5, $6, $7, $8, now() - interval '400 days', current_date)
                on conflict (subject) do update set title = coalesce(member.title, excluded.title), last_seen_on = current_date
                returning id, username, name, email
                """, Tuple.from(List.of(m.getString("subject"), m.getString("username"), m.getString("name"),
                m.getString("username") + "@demo.roundtable.test", m.getString("title", ""), m.getString("school", ""),
                m.getString("district", ""), roles)), row -> new Viewer(row.getLong("id"), row.getString("username"),
                row.getString("name"), row.getString("email"), Set.of(roles), null, null));
    }

    private Uni<Void> cohort(JsonObject c, Map<String, Viewer> members) {
        Uni<Void> chain = db.execute("""
                insert into cohort (slug, name, description) values ($1, $2, $3) on conflict (slug) do nothing
                """, Tuple.of(c.getString("slug"), c.getString("name"), c.getString("description"))).replaceWithVoid();
        for (Map.Entry<String, Object> entry : c.getJsonObject("members")) {
            Viewer member = members.get(entry.getKey());
            chain = chain.flatMap(x -> db.execute("""
                    insert into cohort_member (cohort_id, member_id, role, joined_at)
                    select id, $2, $3, now() - interval '400 days' from cohort where slug = $1 on conflict do nothing
                    """, Tuple.of(c.getString("slug"), member.id(), entry.getValue().toString()))).replaceWithVoid();
        }
        return chain;
    }

    private Uni<Void> channel(JsonObject c) {
        return db.execute("""
                insert into channel (slug, name, description, kind, cohort_id, position)
                values ($1, $2, $3, $4, (select id from cohort where slug = $5), $6)
                on conflict (slug) do nothing
                """, Tuple.from(java.util.Arrays.asList(c.getString("slug"), c.getString("name"), c.getString("description"),
                c.getString("kind"), c.getString("cohort"), c.getInteger("position")))).replaceWithVoid();
    }

    private Uni<Void> thread(JsonObject t, Map<String, Viewer> members) {
        Viewer author = members.get(t.getString("author"));
        List<String> tags = t.getJsonArray("tags", new JsonArray()).stream().map(Object::toString).toList();
        UUID key = key(t.getString("title"));
        return threads.createThread(author, t.getString("channel"), t.getString("title"), t.getString("body"), tags, key)
                .flatMap(created -> {
                    List<Long> topLevel = new ArrayList<>();
                    return replies(created.threadId(), null, t.getJsonArray("replies", new JsonArray()), members,
                            t.getString("title"), topLevel)
                            .flatMap(x -> {
                                JsonArray answer = t.getJsonArray("answer");
                                if (answer == null || topLevel.isEmpty()) {
                                    return Uni.createFrom().voidItem();
                                }
                                return answers.accept(author, created.threadId(), topLevel.get(answer.getInteger(0)));
                            });
                });
    }

    private Uni<Void> replies(long threadId, Long parent, JsonArray replies, Map<String, Viewer> members, String path,
            List<Long> created) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < replies.size(); i++) {
            JsonObject reply = replies.getJsonObject(i);
            String replyPath = path + "/" + i;
            chain = chain.flatMap(x -> threads.reply(members.get(reply.getString("author")), threadId, parent,
                    reply.getString("body"), key(replyPath))
                    .flatMap(post -> {
                        created.add(post.postId());
                        return replies(threadId, post.postId(), reply.getJsonArray("replies", new JsonArray()), members,
                                replyPath, new ArrayList<>());
                    }));
        }
        return chain;
    }

    private static UUID key(String name) {
        return UUID.nameUUIDFromBytes(("roundtable-demo:" + name).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject load() {
        try (InputStream in = DemoSeed.class.getResourceAsStream("/demo/network.json")) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the demo network", e);
        }
    }
}
