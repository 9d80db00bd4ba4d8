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
import org.roundtable.audit.AuditEntry;
import org.roundtable.audit.AuditLog;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.notification.NotificationService;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Guardian.ChannelFacts;
import org.roundtable.security.Viewer;
import org.roundtable.thread.PostDestroyer;
import org.roundtable.web.Input;

/**
 * What facilitators do to one post: hide and show it, approve or refuse a held post, block an anonymous post's
 * pseudonym in its thread, and hold a channel's anonymous posts for approval. Scoped to what they moderate, every act
 * audited. On anonymous posts they act on the pseudonym only: nothing here can learn, or record, who wrote a post.
 */
@ApplicationScoped
public class PostModeration {

    private final Database db;
    private final PostDestroyer destroyer;
    private final AuditLog auditLog;
    private final NotificationService notifications;

    public PostModeration(Database db, PostDestroyer destroyer, AuditLog auditLog, NotificationService notifications) {
        this.db = db;
        this.destroyer = destroyer;
        this.auditLog = auditLog;
        this.notifications = notifications;
    }


    /**
     * SQL for "now" as stored on a post: an anonymous post stores the hour, whoever acts on it, so that its row says no
     * more of time than the post's own (docs/security/anonymity.md).
     */
    static final String NOW_ON_POST = "(case when pseudonym is null then now() else date_trunc('hour', now()) end)";

    private static final String POST_FOR_MODERATION = """
            select p.id, p.thread_id, p.number, p.pseudonym, p.author_id, p.held, p.hidden_at, p.hidden_reason, p.deleted_at,
                   p.version, c.id as channel_id, c.kind, c.slug, %s as moderator
            from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
            where p.id = #{post} and t.deleted_at is null and %s
            for update of p
            """.formatted(moderates("c"), visibleChannel("c"));

    /** The post, locked, when the viewer moderates its channel; 404 when they cannot see it, 403 when they only can. */
    Uni<Row> moderatedPost(SqlConnection conn, Viewer viewer, long postId) {
        Guardian.requireCanWrite(viewer);
        return db.one(conn, POST_FOR_MODERATION, Guardian.binds(viewer).and("post", postId), row -> row)
                .map(post -> {
                    // A deleted post is gone for everyone; a held one is not there for anyone but its author and the
                    // facilitators.
                    boolean there = post != null && post.getOffsetDateTime("deleted_at") == null
                            && (post.getBoolean("moderator") || !post.getBoolean("held"));
                    Guardian.ensureCanModerate(there ? post.getBoolean("moderator") : null, "The post");
                    return post;
                });
    }

    /** {@link #moderatedPost}, then the reason the moderator gave checked (after who may act, before anything is written). */
    Uni<Row> moderatedPost(SqlConnection conn, Viewer viewer, long postId, String reason) {
        return moderatedPost(conn, viewer, postId).invoke(post -> Input.noNul("reason", reason));
    }

    /**
     * Hides a post ({@code hidden} true, with the reason shown in its place) or shows it again; the author of a named
     * post is told. Audited.
     */
    public Uni<Void> hide(Viewer viewer, long postId, String reason, boolean hidden) {
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId, reason).flatMap(post -> {
            String why = Reasons.reason(reason);
            return db.execute(conn,
                    "update post set hidden_at = " + (hidden ? NOW_ON_POST : "null") + ", hidden_reason = $2 where id = $1",
                    Tuple.of(postId, hidden ? why : null))
                    .flatMap(x -> hidden ? tellAuthor(conn, viewer, post, "hid", why) : Uni.createFrom().voidItem())
                    .flatMap(x -> audit(conn, viewer, hidden ? "post.hide" : "post.unhide", post, why));
        }));
    }

    /** What a refused held post carries as the reason it was deleted, when the facilitator gave none. */
    static final String NOT_APPROVED = "Not approved for publication";

    /**
     * Tells the author of the post that a facilitator {@code did} ("hid", "deleted", "refused") it, with the reason they
     * gave ({@code why}, may be null), through the one writer of these notifications,
     * {@link NotificationService#tellAuthor}, which says who is told and who never is (anonymous authors, the
     * facilitator themself).
     */
    Uni<Void> tellAuthor(SqlConnection conn, Viewer viewer, Row post, String did, String why) {
        return notifications.tellAuthor(conn, viewer, NotificationService.Moderated.post(post.getLong("author_id"),
                post.getString("pseudonym"), post.getLong("thread_id"), post.getLong("id")),
                "A facilitator " + did + " your post", why);
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
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId, reason).flatMap(post -> {
            if (!post.getBoolean("held")) {
                throw DomainException.conflict("This post is not waiting for approval.");
            }
            String why = Reasons.reason(reason);
            // The reason is kept on the post: its author (anonymous, in practice) finds it computed.
            return destroyer.deleteAsModerator(conn, postId, why == null ? NOT_APPROVED : why)
                    .flatMap(x -> tellAuthor(conn, viewer, post, "refused", why == null ? NOT_APPROVED : why))
                    .flatMap(x -> audit(conn, viewer, "post.reject", post, why));
        }));
    }

    /**
     * Blocks the pseudonym of an anonymous post in its thread: the member behind it, unknown to the facilitator, can
     * no longer post there.
     */
    public Uni<Void> blockAuthor(Viewer viewer, long postId, String reason) {
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId, reason).flatMap(post -> {
            if (post.getString("pseudonym") == null) {
                throw DomainException.conflict("This post is not anonymous: its author can be silenced or suspended instead.");
            }
            String why = Reasons.reason(reason);
            return db.execute(conn, """
                    insert into pseudonym_block (thread_id, pseudonym, blocked_by, reason) values ($1, $2, $3, $4)
                    on conflict do nothing
                    """, Tuple.from(Arrays.asList(post.getLong("thread_id"), post.getString("pseudonym"), viewer.id(), why)))
                    .flatMap(x -> audit(conn, viewer, "pseudonym.block", post, why));
        }));
    }

    /** Turns approval before publication on or off for an undiscussables channel the viewer moderates. */
    public Uni<Void> requireApproval(Viewer viewer, String channelSlug, boolean on) {
        Guardian.requireCanWrite(viewer);
        if (Input.hasNul(channelSlug)) {
            throw DomainException.notFound("The channel"); // no channel has such an address
        }
        return db.inTransaction(conn -> db.one(conn, """
                select c.id, c.kind, c.requires_approval, %s from channel c where c.slug = #{slug}
                for update
                """.formatted(Guardian.channelFacts("c")), Guardian.binds(viewer).and("slug", channelSlug), row -> row)
                .flatMap(channel -> {
                    String what = "The channel \"" + channelSlug + "\"";
                    Guardian.ensureCanModerate(viewer, ChannelFacts.of(Guardian.ensureFound(channel, what)), what);
                    if (!"undiscussables".equals(channel.getString("kind"))) {
                        throw DomainException.conflict("Approval before publication is for the undiscussables only.");
                    }
                    return db.execute(conn, "update channel set requires_approval = $2 where id = $1",
                            Tuple.of(channel.getLong("id"), on))
                            .flatMap(x -> auditLog.record(conn, AuditEntry.of(viewer.id(),
                                    on ? "channel.approval.on" : "channel.approval.off", "channel", channelSlug)
                                    .withChange(new JsonObject().put("requiresApproval", channel.getBoolean("requires_approval")),
                                            new JsonObject().put("requiresApproval", on))
                                    .inChannel(channel.getLong("id"))))
                            .replaceWithVoid();
                }));
    }

    /**
     * The approval setting of a channel as its facilitators see it on the channel page: {@code moderator} (the viewer
     * may switch it: they moderate the channel and may write) and {@code on} (its anonymous posts are held).
     */
    public record ApprovalSetting(boolean moderator, boolean on) {
        static final ApprovalSetting NONE = new ApprovalSetting(false, false);
    }

    /**
     * The approval setting of the undiscussables channel {@code channelId} for the viewer ({@link ApprovalSetting});
     * {@link ApprovalSetting#NONE} for a channel they may not see or switch, and for any other kind of channel.
     */
    public Uni<ApprovalSetting> approvalSetting(Viewer viewer, long channelId) {
        if (!Guardian.canWrite(viewer)) {
            return Uni.createFrom().item(ApprovalSetting.NONE);
        }
        return db.one("""
                select c.requires_approval, %s as moderator from channel c
                where c.id = #{channel} and c.kind = 'undiscussables' and %s
                """.formatted(moderates("c"), visibleChannel("c")), Guardian.binds(viewer).and("channel", channelId),
                row -> new ApprovalSetting(row.getBoolean("moderator"), row.getBoolean("requires_approval")))
                .map(setting -> setting == null ? ApprovalSetting.NONE : setting);
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
                """.formatted(visibleThread("t"), visibleChannel("c"), moderates("c")), Guardian.binds(viewer),
                row -> new HeldPost(row.getLong("id"), row.getLong("thread_id"), row.getString("title"), row.getString("slug"),
                        row.getInteger("number"), row.getString("pseudonym") != null ? Pseudonyms.handle(row.getString("pseudonym"))
                                : row.getString("name"), row.getString("html"), row.getOffsetDateTime("created_at")));
    }

    /**
     * An audit entry; for an anonymous post it names the pseudonym, never a member, and is stamped with the hour, like
     * everything stored next to a pseudonym.
     */
    Uni<Void> audit(SqlConnection conn, Viewer actor, String action, Row post, String reason) {
        return auditLog.record(conn, AuditEntry.of(actor == null ? null : actor.id(), action, "post",
                String.valueOf(post.getLong("id"))).withPseudonym(post.getString("pseudonym")).withReason(reason)
                .inChannel(post.getLong("channel_id")));
    }
}
