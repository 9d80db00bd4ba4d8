package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/** Reactions: the small fixed set of kinds, one of each per member per post, and the one write of them. */
@ApplicationScoped
public class Reactions {

    public static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("thanks", "Thanks");
        KINDS.put("plus-one", "+1");
        KINDS.put("insightful", "Insightful");
    }

    /**
     * SQL: the reaction counts of post {@code p} as an {@code int[]} in the order of {@link #KINDS}, one aggregate over
     * its reactions (the kinds are these constants, never input). It replaced a {@code json_object_agg} that each
     * thread page parsed with Jackson, 50 times (issue 21).
     */
    static final String COUNTS = KINDS.keySet().stream()
            .map(kind -> "count(*) filter (where r.kind = '" + kind + "')::int")
            .collect(java.util.stream.Collectors.joining(", ",
                    "(select array[", "] from reaction r where r.post_id = p.id)"));

    private final Database db;
    private final Pseudonyms pseudonyms;
    private final Authorship authorship;

    Reactions(Database db, Pseudonyms pseudonyms, Authorship authorship) {
        this.db = db;
        this.pseudonyms = pseudonyms;
        this.authorship = authorship;
    }

    public static String check(String kind) {
        if (!KINDS.containsKey(kind)) {
            throw DomainException.badRequest("Unknown reaction \"" + kind + "\": use one of " + String.join(", ", KINDS.keySet()) + ".");
        }
        return kind;
    }

    /**
     * Adds (on=true) or removes a reaction of the viewer's; one of each kind per member per post. In the
     * undiscussables the reactor is the viewer's pseudonym in the thread, never their member id.
     */
    public Uni<List<PostView.ReactionCount>> react(Viewer viewer, long postId, String kind, boolean on) {
        Guardian.requireCanWrite(viewer);
        Reactions.check(kind);
        return db.inTransaction(conn -> db.one(conn, """
                select p.id, p.thread_id, p.author_id, p.pseudonym, p.deleted_at, p.held, c.kind, %s as silenced
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                where p.id = #{post} and %s and %s
                """.formatted(Guardian.silenced("c"), visibleThread("t"), visibleChannel("c")),
                Guardian.binds(viewer).and("post", postId), row -> row).flatMap(post -> {
                    Guardian.ensureFound(post == null || post.getOffsetDateTime("deleted_at") != null
                            || post.getBoolean("held") ? null : post, "The post");
                    Guardian.ensureNotSilenced(post.getString("silenced"));
                    long threadId = post.getLong("thread_id");
                    if (authorship.wrote(viewer, post.getLong("author_id"), post.getString("pseudonym"), threadId)) {
                        throw DomainException.conflict("You cannot react to your own post.");
                    }
                    boolean byPseudonym = ThreadService.UNDISCUSSABLES.equals(post.getString("kind"));
                    String reactor = byPseudonym ? "pseudonym" : "member_id";
                    Object who = byPseudonym ? pseudonyms.of(viewer.id(), threadId) : (Object) viewer.id();
                    // Under a pseudonym, the reaction stores the hour: its moment would show when the pseudonym was about.
                    String sql = on
                            ? "insert into reaction (post_id, kind, " + reactor + ", created_at) values ($1, $2, $3, "
                                    + (byPseudonym ? "date_trunc('hour', now())" : "now()") + ") on conflict do nothing"
                            : "delete from reaction where post_id = $1 and kind = $2 and " + reactor + " = $3";
                    return db.execute(conn, sql, Tuple.of(postId, kind, who))
                            .flatMap(x -> db.list(conn, """
                                    select k.kind, count(r.kind) as n, coalesce(bool_or(r.%s = $2), false) as mine
                                    from unnest($3::text[]) as k(kind)
                                    left join reaction r on r.post_id = $1 and r.kind = k.kind
                                    group by k.kind
                                    """.formatted(reactor), Tuple.of(postId, who, Reactions.KINDS.keySet().toArray(String[]::new)),
                                    row -> new PostView.ReactionCount(row.getString("kind"), Reactions.KINDS.get(row.getString("kind")),
                                            row.getInteger("n"), row.getBoolean("mine"))));
                })
                .map(counts -> counts.stream().sorted(java.util.Comparator.comparing(
                        c -> new ArrayList<>(Reactions.KINDS.keySet()).indexOf(c.kind()))).toList()));
    }
}
