package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/** Who wrote a post or a thread, for the writes only its author may make (Guardian decides; this finds the facts). */
@ApplicationScoped
class Authorship {

    private final Database db;
    private final Pseudonyms pseudonyms;

    Authorship(Database db, Pseudonyms pseudonyms) {
        this.db = db;
        this.pseudonyms = pseudonyms;
    }

    /** The post, locked, when the viewer wrote it: by member id, or for an anonymous post by recomputing the pseudonym. */
    Uni<Row> lockOwnPost(SqlConnection conn, Viewer viewer, long postId) {
        return db.one(conn, """
                select p.id, p.thread_id, p.version, p.author_id, p.pseudonym, p.deleted_at, p.held, c.kind
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                where p.id = #{post} and %s and %s
                for update of p
                """.formatted(visibleThread("t"), visibleChannel("c")),
                Guardian.binds(viewer).and("post", postId), row -> row).map(post -> {
                    Guardian.ensureFound(post == null || post.getOffsetDateTime("deleted_at") != null ? null : post, "The post");
                    Guardian.ensureAuthor(wrote(viewer, post.getLong("author_id"), post.getString("pseudonym"),
                            post.getLong("thread_id")), "Only the author of a post can edit or delete it.");
                    return post;
                });
    }

    /** Whether the viewer wrote what has this author (member id, or pseudonym recomputed for the thread). */
    boolean wrote(Viewer viewer, Long authorId, String pseudonym, long threadId) {
        return Guardian.isAuthor(viewer, authorId, pseudonym, () -> pseudonyms.of(viewer.id(), threadId));
    }
}
