package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import org.roundtable.anonymity.AnonymousIds;
import org.roundtable.db.Database;
import org.roundtable.notification.NotificationService;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.thread.markdown.RenderedPost;

/**
 * THE write of a post's new text (Discourse's PostRevisor): the author's edit and a facilitator's edit from the review
 * queue go through {@link #revise}, one revision insert, mention links and notifications alike. The author is found by
 * member id or, for an anonymous post, by recomputing the pseudonym; facilitators never edit anonymous posts.
 */
@ApplicationScoped
public class PostRevisor {

    private final Database db;
    private final PostRenderer renderer;
    private final NotificationService notifications;
    private final Authorship authorship;
    private final ThreadService reads;

    PostRevisor(Database db, PostRenderer renderer, NotificationService notifications, Authorship authorship,
            ThreadService reads) {
        this.db = db;
        this.renderer = renderer;
        this.notifications = notifications;
        this.authorship = authorship;
        this.reads = reads;
    }

    /** Edits the viewer's own post; a stale version is refused and nothing is overwritten. */
    public Uni<ThreadService.PostSource> edit(Viewer viewer, long postId, String rawBody, int version) {
        Guardian.requireCanWrite(viewer);
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        return renderer.render(body, PostRenderer.Audience.post(postId)).flatMap(rendered -> db.inTransaction(conn -> authorship.lockOwnPost(conn, viewer, postId)
                .flatMap(post -> {
                    int current = post.getInteger("version");
                    if (current != version) {
                        throw DomainException.conflict("This post was changed since you opened it (you edited version "
                                + version + ", it is now at version " + current
                                + "). Nothing was saved: reload it, apply your change again and save.");
                    }
                    return revise(conn, viewer, post, body, rendered, null, false);
                }))).flatMap(x -> reads.source(viewer, postId));
    }

    /**
     * A facilitator's edit of a post (the review queue's decision "edit"), in the caller's transaction: the same write
     * as an author's edit ({@link #revise}). Takes the text and the reason for the change (kept with the text it
     * replaces). Refuses, changing nothing: a post that does not exist or that the viewer may not see (404), a channel
     * the viewer does not moderate (403), and any anonymous post (409): facilitators cannot edit those (a text that
     * speaks for someone nobody may know; docs/security/anonymity.md), they hide them.
     */
    public Uni<Void> editAsModerator(SqlConnection conn, Viewer moderator, long postId, String rawBody, String reason) {
        Guardian.requireCanWrite(moderator);
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        return db.one(conn, """
                select p.id, p.thread_id, p.version, p.author_id, p.pseudonym, p.held, p.deleted_at, c.kind, %s as moderator
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                where p.id = #{post} and t.deleted_at is null and %s
                for update of p
                """.formatted(Guardian.moderates("c"), visibleChannel("c")),
                Guardian.binds(moderator).and("post", postId), row -> row)
                .flatMap(post -> {
                    Guardian.ensureCanModerate(post == null || post.getOffsetDateTime("deleted_at") != null ? null
                            : post.getBoolean("moderator"), "The post");
                    if (post.getString("pseudonym") != null) {
                        throw DomainException.conflict("Facilitators cannot edit anonymous posts: the text would speak "
                                + "for someone nobody may know. Nothing was changed; hide the post instead.");
                    }
                    return renderer.render(conn, body, PostRenderer.Audience.post(postId)).flatMap(rendered -> revise(conn, moderator, post, body, rendered, reason, true));
                });
    }

    /**
     * THE write of a post's new text (author's edit and facilitator's edit alike): the text it replaces goes to
     * post_revision with who wrote that text (its author, or the facilitator who last edited it) and the reason for the
     * change; the post takes the new text, version and editor (null: its author); mentions the new text adds notify as
     * a new post's do (none while the post is held for approval). {@code post} is the locked row (id, thread_id,
     * version, pseudonym, held, kind). An anonymous post's revision names no editor (its author_id is null), and its
     * times stay coarse.
     */
    private Uni<Void> revise(SqlConnection conn, Viewer editor, Row post, String body, RenderedPost rendered, String reason,
            boolean byModerator) {
        long postId = post.getLong("id");
        boolean anonymous = post.getString("pseudonym") != null;
        boolean held = Boolean.TRUE.equals(post.getBoolean("held"));
        // A facilitator's name is not shown in the undiscussables (moderation outcomes there name nobody either).
        Viewer actor = anonymous || (byModerator && ThreadService.UNDISCUSSABLES.equals(post.getString("kind"))) ? null : editor;
        return db.execute(conn, """
                with rev as (
                    insert into post_revision (id, post_id, version, source, html, editor_id, reason, created_at)
                    overriding system value
                    select coalesce($7::bigint, nextval(pg_get_serial_sequence('post_revision', 'id'))), id, version,
                           source, html, coalesce(editor_id, author_id), $5, coalesce(edited_at, created_at)
                    from post where id = $1
                )
                update post set source = $2, html = $3, version = version + 1, editor_id = $6,
                       edited_at = case when pseudonym is null then now() else date_trunc('hour', now()) end
                where id = $1 and version = $4
                """, Tuple.from(Arrays.asList(postId, body, rendered.html(), post.getInteger("version"), reason,
                byModerator ? editor.id() : null, anonymous ? AnonymousIds.next() : null)))
                .flatMap(x -> held ? Uni.createFrom().voidItem()
                        : notifications.mentioned(conn, actor, post.getLong("thread_id"), postId, rendered.mentions()));
    }
}
