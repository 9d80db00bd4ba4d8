package org.roundtable.moderation;

import static org.roundtable.security.Guardian.moderates;
import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.web.DomainException;

/**
 * What facilitators do to posts and channels, scoped to what they moderate, every action written to the audit log.
 * On anonymous posts they act on the pseudonym only: nothing here can learn, or record, who wrote a post.
 */
@ApplicationScoped
public class ModerationService {

    private final Database db;

    public ModerationService(Database db) {
        this.db = db;
    }

    private static final String POST_FOR_MODERATION = """
            select p.id, p.thread_id, p.number, p.pseudonym, p.author_id, p.held, p.hidden_at, p.deleted_at,
                   c.kind, c.slug, %s as moderator
            from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
            where p.id = $1 and t.deleted_at is null and %s
            for update of p
            """.formatted(moderates("c", 2, 3, 4), visibleChannel("c", 2, 3));

    /** The post, locked, when the viewer moderates its channel; 404 when they cannot see it, 403 when they only can. */
    private Uni<Row> moderatedPost(SqlConnection conn, Viewer viewer, long postId) {
        Guardian.requireCanWrite(viewer);
        return db.one(conn, POST_FOR_MODERATION,
                Tuple.of(postId, viewer.id(), viewer.isAdmin(), viewer.isNetworkFacilitator()), row -> row)
                .map(post -> {
                    if (post == null || post.getOffsetDateTime("deleted_at") != null) {
                        throw DomainException.notFound("The post");
                    }
                    if (!post.getBoolean("moderator")) {
                        // A held post is not there for anyone but its author and the facilitators.
                        if (post.getBoolean("held")) {
                            throw DomainException.notFound("The post");
                        }
                        throw DomainException.forbidden("Only the facilitators of this channel can do that.");
                    }
                    return post;
                });
    }

    public Uni<Void> hide(Viewer viewer, long postId, String reason, boolean hidden) {
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId).flatMap(post -> db.execute(conn,
                "update post set hidden_at = " + (hidden ? "now()" : "null") + ", hidden_reason = $2 where id = $1",
                Tuple.of(postId, hidden ? reason : null))
                .flatMap(x -> audit(conn, viewer, hidden ? "post.hide" : "post.unhide", post, reason))));
    }

    /** Publishes a post held for approval. */
    public Uni<Void> approve(Viewer viewer, long postId) {
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId).flatMap(post -> {
            if (!post.getBoolean("held")) {
                throw DomainException.conflict("This post is not waiting for approval.");
            }
            return db.execute(conn, "update post set held = false where id = $1", Tuple.of(postId))
                    .flatMap(x -> audit(conn, viewer, "post.approve", post, null));
        }));
    }

    /** Refuses a post held for approval: it is deleted and never published. */
    public Uni<Void> reject(Viewer viewer, long postId, String reason) {
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId).flatMap(post -> {
            if (!post.getBoolean("held")) {
                throw DomainException.conflict("This post is not waiting for approval.");
            }
            return db.execute(conn, "update post set deleted_at = date_trunc('hour', now()) where id = $1", Tuple.of(postId))
                    .flatMap(x -> audit(conn, viewer, "post.reject", post, reason));
        }));
    }

    /**
     * Blocks the pseudonym of an anonymous post in its thread: the member behind it, unknown to the facilitator, can
     * no longer post there.
     */
    public Uni<Void> blockAuthor(Viewer viewer, long postId, String reason) {
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId).flatMap(post -> {
            if (post.getString("pseudonym") == null) {
                throw DomainException.conflict("This post is not anonymous: its author can be silenced or suspended instead.");
            }
            return db.execute(conn, """
                    insert into pseudonym_block (thread_id, pseudonym, blocked_by, reason) values ($1, $2, $3, $4)
                    on conflict do nothing
                    """, Tuple.of(post.getLong("thread_id"), post.getString("pseudonym"), viewer.id(), reason))
                    .flatMap(x -> audit(conn, viewer, "pseudonym.block", post, reason));
        }));
    }

    /** Turns approval before publication on or off for an undiscussables channel the viewer moderates. */
    public Uni<Void> requireApproval(Viewer viewer, String channelSlug, boolean on) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> db.one(conn, """
                select c.id, c.kind, c.requires_approval, %s as moderator from channel c where c.slug = $1 and %s
                for update
                """.formatted(moderates("c", 2, 3, 4), visibleChannel("c", 2, 3)),
                Tuple.of(channelSlug, viewer.id(), viewer.isAdmin(), viewer.isNetworkFacilitator()), row -> row)
                .flatMap(channel -> {
                    if (channel == null) {
                        throw DomainException.notFound("The channel \"" + channelSlug + "\"");
                    }
                    if (!channel.getBoolean("moderator")) {
                        throw DomainException.forbidden("Only the facilitators of this channel can do that.");
                    }
                    if (!"undiscussables".equals(channel.getString("kind"))) {
                        throw DomainException.conflict("Approval before publication is for the undiscussables only.");
                    }
                    return db.execute(conn, "update channel set requires_approval = $2 where id = $1",
                            Tuple.of(channel.getLong("id"), on))
                            .flatMap(x -> db.execute(conn, """
                                    insert into audit_entry (actor_id, action, target_type, target_id, before, after)
                                    values ($1, $2, 'channel', $3, $4, $5)
                                    """, Tuple.from(Arrays.asList(viewer.id(), on ? "channel.approval.on" : "channel.approval.off",
                                    channelSlug, new JsonObject().put("requiresApproval", channel.getBoolean("requires_approval")),
                                    new JsonObject().put("requiresApproval", on)))))
                            .replaceWithVoid();
                }));
    }

    public record HeldPost(long postId, long threadId, String threadTitle, String channel, int number, String author,
            String html, OffsetDateTime createdAt) {
    }

    /** Posts waiting for approval in the channels the viewer moderates, oldest first. */
    public Uni<List<HeldPost>> heldPosts(Viewer viewer) {
        return db.list("""
                select p.id, p.thread_id, t.title, c.slug, p.number, p.pseudonym, m.name, p.html, p.created_at
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                left join member m on m.id = p.author_id
                where p.held and p.deleted_at is null and %s and %s and %s
                order by p.id limit 200
                """.formatted(visibleThread("t"), visibleChannel("c", 1, 2), moderates("c", 1, 2, 3)),
                Tuple.of(viewer.id(), viewer.isAdmin(), viewer.isNetworkFacilitator()),
                row -> new HeldPost(row.getLong("id"), row.getLong("thread_id"), row.getString("title"), row.getString("slug"),
                        row.getInteger("number"), row.getString("pseudonym") != null ? Pseudonyms.handle(row.getString("pseudonym"))
                                : row.getString("name"), row.getString("html"), row.getOffsetDateTime("created_at")));
    }

    /** An audit entry; for an anonymous post it names the pseudonym, never a member. */
    private Uni<Void> audit(SqlConnection conn, Viewer actor, String action, Row post, String reason) {
        String pseudonym = post.getString("pseudonym");
        return db.execute(conn, """
                insert into audit_entry (actor_id, action, target_type, target_id, target_pseudonym, reason)
                values ($1, $2, 'post', $3, $4, $5)
                """, Tuple.from(Arrays.asList(actor.id(), action, String.valueOf(post.getLong("id")), pseudonym, reason)))
                .replaceWithVoid();
    }
}
