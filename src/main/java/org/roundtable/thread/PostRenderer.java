package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.thread.markdown.MarkdownRenderer;
import org.roundtable.thread.markdown.RenderedPost;

/**
 * A post's text as it is stored and previewed: markdown rendered once, on write, with mentions linked only to members
 * who may read where the text is posted. {@link PostCreator} and {@link PostRevisor} store what it renders.
 */
@ApplicationScoped
public class PostRenderer {

    private final Database db;
    private final MarkdownRenderer markdown;

    public PostRenderer(Database db, MarkdownRenderer markdown) {
        this.db = db;
        this.markdown = markdown;
    }

    public Uni<String> preview(String rawBody) {
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        return render(body).map(RenderedPost::html);
    }

    /**
     * The preview of a text to be posted where {@code audience} says: its HTML as it will be posted, and the members it
     * mentions who cannot see it there ({@link RenderedPost#unseen()}: they stay plain text and are not notified).
     */
    public Uni<RenderedPost> preview(String rawBody, Audience audience) {
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        return render(body, audience);
    }

    /**
     * Where a text will be read, for its mentions: the channel of a thread or of a post, or a channel by its address
     * ({@code channelSql} finds its id from the parameter $2, {@code key}).
     */
    public record Audience(String channelSql, Object key) {

        public static Audience channel(String slug) {
            return new Audience("(select id from channel where slug = $2)", slug == null ? "" : slug);
        }

        public static Audience thread(long threadId) {
            return new Audience("(select channel_id from thread where id = $2)", threadId);
        }

        public static Audience post(long postId) {
            return new Audience("(select t.channel_id from post p join thread t on t.id = p.thread_id where p.id = $2)", postId);
        }
    }

    /** SQL: member m may see channel c (a cohort's channel: its members, and admins). */
    private static final String MEMBER_SEES_CHANNEL = visibleChannel("c", "m.id", Guardian.MEMBER_IS_ADMIN);

    /** Markdown is rendered once, on write; mentions link only to members who exist (one query for all of them). */
    Uni<RenderedPost> render(String body) {
        return render(null, body, null);
    }

    /** {@link #render(SqlConnection, String, Audience)} on the pool. */
    Uni<RenderedPost> render(String body, Audience audience) {
        return render(null, body, audience);
    }

    /**
     * The same, on the caller's connection (null: the pool). With an {@code audience}, a mention links (and notifies)
     * only a member who may see where the text is posted; a member who may not stays plain text, and is named in
     * {@link RenderedPost#unseen()} for the preview to say so (one query for all of them).
     */
    Uni<RenderedPost> render(SqlConnection conn, String body, Audience audience) {
        Set<String> candidates = new HashSet<>();
        markdown.render(body, name -> candidates.add(name) && false);
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(markdown.render(body, name -> false));
        }
        String sql = audience == null ? "select lower(username) as u, true as sees from member where lower(username) = any($1)"
                : "select lower(m.username) as u, %s as sees from member m join channel c on c.id = %s where lower(m.username) = any($1)"
                        .formatted(MEMBER_SEES_CHANNEL, audience.channelSql());
        Tuple params = audience == null ? Tuple.of(candidates.toArray(String[]::new))
                : Tuple.of(candidates.toArray(String[]::new), audience.key());
        java.util.function.Function<Row, Map.Entry<String, Boolean>> read = row -> Map.entry(row.getString("u"), row.getBoolean("sees"));
        return (conn == null ? db.list(sql, params, read) : db.list(conn, sql, params, read))
                .map(known -> {
                    Set<String> seeing = new HashSet<>();
                    Set<String> unseen = new java.util.TreeSet<>();
                    known.forEach(k -> (k.getValue() ? seeing : unseen).add(k.getKey()));
                    return markdown.render(body, seeing::contains).withUnseen(unseen);
                });
    }
}
