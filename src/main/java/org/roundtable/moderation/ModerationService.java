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
import org.roundtable.member.MemberService;
import org.roundtable.thread.PostRules;
import org.roundtable.thread.PostDestroyer;
import org.roundtable.thread.PostRevisor;
import org.roundtable.security.Guardian;
import org.roundtable.security.Guardian.ChannelFacts;
import org.roundtable.security.Viewer;
import org.roundtable.text.TextRules;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Input;

/**
 * What facilitators do to posts and channels, scoped to what they moderate, every action written to the audit log.
 * On anonymous posts they act on the pseudonym only: nothing here can learn, or record, who wrote a post.
 */
@ApplicationScoped
public class ModerationService {

    private final Database db;
    private final RateLimits rateLimits;
    private final ModerationConfig config;
    private final Pseudonyms pseudonyms;
    private final MemberService members;
    private final PostRevisor revisor;
    private final PostDestroyer destroyer;
    private final AuditLog auditLog;

    public ModerationService(Database db, RateLimits rateLimits, ModerationConfig config, Pseudonyms pseudonyms,
            MemberService members, PostRevisor revisor, PostDestroyer destroyer, AuditLog auditLog) {
        this.revisor = revisor;
        this.destroyer = destroyer;
        this.auditLog = auditLog;
        this.db = db;
        this.rateLimits = rateLimits;
        this.config = config;
        this.pseudonyms = pseudonyms;
        this.members = members;
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
    private Uni<Row> moderatedPost(SqlConnection conn, Viewer viewer, long postId) {
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
    private Uni<Row> moderatedPost(SqlConnection conn, Viewer viewer, long postId, String reason) {
        return moderatedPost(conn, viewer, postId).invoke(post -> Input.noNul("reason", reason));
    }

    public Uni<Void> hide(Viewer viewer, long postId, String reason, boolean hidden) {
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId, reason).flatMap(post -> {
            String why = reason(reason);
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
     * Tells the author of a named post that a facilitator {@code did} ("hid", "deleted") it, with the reason they gave
     * ({@code why}, may be null): a notification of kind "moderation" that stays while the post is removed. Nobody is
     * told of their own act. An anonymous post stores no author, and nothing here may: its author finds the removal
     * computed on their notifications (NotificationService#anonymousActivity reads the post's hidden or deleted reason).
     */
    private Uni<Void> tellAuthor(SqlConnection conn, Viewer viewer, Row post, String did, String why) {
        Long author = post.getLong("author_id");
        if (author == null || author == viewer.id() || post.getString("pseudonym") != null) {
            return Uni.createFrom().voidItem();
        }
        return db.execute(conn, """
                insert into notification (member_id, kind, thread_id, post_id, actor_id, detail, reason)
                values ($1, 'moderation', $2, $3, $4, $5, $6)
                """, Tuple.from(Arrays.asList(author, post.getLong("thread_id"), post.getLong("id"), viewer.id(),
                "A facilitator " + did + " your post", why))).replaceWithVoid();
    }

    /**
     * A reason as it is recorded (audit log, hidden posts, suspensions): one line ({@link TextRules}), without invisible
     * ends; null when nothing of it shows. A reason with a line break or another control character is refused (400 on
     * "reason").
     */
    static String reason(String raw) {
        java.util.Map<String, String> errors = new java.util.LinkedHashMap<>();
        String reason = TextRules.oneLineField(errors, "reason", "the reason", raw, false);
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return reason;
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
            String why = reason(reason);
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
            String why = reason(reason);
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
    private Uni<Void> audit(SqlConnection conn, Viewer actor, String action, Row post, String reason) {
        return auditLog.record(conn, AuditEntry.of(actor == null ? null : actor.id(), action, "post",
                String.valueOf(post.getLong("id"))).withPseudonym(post.getString("pseudonym")).withReason(reason)
                .inChannel(post.getLong("channel_id")));
    }

    // ---------------------------------------------------------------- flags and the review queue

    public static final java.util.Map<String, String> FLAG_REASONS = new java.util.LinkedHashMap<>();

    static {
        FLAG_REASONS.put("off-topic", "Off-topic");
        FLAG_REASONS.put("inappropriate", "Inappropriate");
        FLAG_REASONS.put("spam", "Spam");
        FLAG_REASONS.put("needs-facilitator", "Needs a facilitator");
        FLAG_REASONS.put("other", "Something else");
    }

    /**
     * A member flags a post; one flag per member per post. Flags from the channel's threshold of distinct members hide
     * the post pending review. The author is never told who flagged.
     */
    public Uni<Void> flag(Viewer viewer, long postId, String reason, String text) {
        Guardian.requireCanWrite(viewer);
        if (reason == null || !FLAG_REASONS.containsKey(reason)) {
            throw DomainException.invalid(java.util.Map.of("reason", "Choose a reason: " + String.join(", ", FLAG_REASONS.keySet()) + "."));
        }
        java.util.Map<String, String> textErrors = new java.util.LinkedHashMap<>();
        String note = TextRules.multiLineField(textErrors, "text", "the note", PostRules.clean(text));
        if (!textErrors.isEmpty()) {
            throw DomainException.invalid(textErrors);
        }
        if ("other".equals(reason) && note == null) {
            throw DomainException.invalid(java.util.Map.of("text", "Say what is wrong: the reason \"other\" needs a few words."));
        }
        if (note != null && note.length() > 1000) {
            throw DomainException.invalid(java.util.Map.of("text", "At most 1000 characters (it has " + note.length() + ")."));
        }
        return db.inTransaction(conn -> db.one(conn, """
                select p.id, p.thread_id, p.author_id, p.pseudonym, p.hidden_at, p.deleted_at, p.held, c.id as channel_id,
                       coalesce(c.flag_threshold, #{threshold}) as threshold
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                where p.id = #{post} and %s and %s
                for update of p
                """.formatted(visibleThread("t"), visibleChannel("c")),
                Guardian.binds(viewer).and("post", postId).and("threshold", config.flagThreshold()), row -> row)
                .flatMap(post -> {
                    if (post == null || post.getOffsetDateTime("deleted_at") != null || post.getBoolean("held")) {
                        throw DomainException.notFound("The post");
                    }
                    boolean own = Guardian.isAuthor(viewer, post.getLong("author_id"), post.getString("pseudonym"),
                            () -> pseudonyms.of(viewer.id(), post.getLong("thread_id")));
                    if (own) {
                        throw DomainException.conflict("You cannot flag your own post; edit or delete it instead.");
                    }
                    return rateLimits.countFlag(conn, viewer)
                            .flatMap(x -> db.one(conn, """
                                    with f as (
                                        insert into flag (post_id, flagger_id, reason, text) values ($1, $2, $3, $4)
                                        on conflict (post_id, flagger_id) do nothing returning id
                                    )
                                    select (select count(*) from f) as inserted,
                                           (select count(distinct flagger_id) from flag where post_id = $1 and resolved_at is null) + (select count(*) from f) as open
                                    """, Tuple.from(Arrays.asList(postId, viewer.id(), reason, note)), row -> row))
                            .flatMap(counts -> {
                                if (counts.getLong("inserted") == 0) {
                                    throw DomainException.conflict("You have already flagged this post; the facilitators have it.");
                                }
                                boolean reached = counts.getLong("open") >= post.getInteger("threshold");
                                if (!reached || post.getOffsetDateTime("hidden_at") != null) {
                                    return Uni.createFrom().voidItem();
                                }
                                return db.execute(conn, """
                                        update post set hidden_at = %s, hidden_reason = $2 where id = $1
                                        """.formatted(NOW_ON_POST), Tuple.of(postId, FLAGGED))
                                        .flatMap(y -> audit(conn, null, "post.hide.flags", post,
                                                "Flagged by " + counts.getLong("open") + " members"));
                            });
                }));
    }

    /** The reason a post hidden by flags carries until a facilitator decides. */
    public static final String FLAGGED = org.roundtable.notification.NotificationService.HIDDEN_BY_FLAGS;

    public record Flag(String reason, String text, String flagger, OffsetDateTime createdAt) {
    }

    /** {@code anonymous}: the post is anonymous, so the decisions exclude "edit" (facilitators never edit those). */
    /** An item of the review queue; {@code channel} is the channel's address, {@code channelName} what people call it. */
    public record QueueItem(long itemId, String kind, long postId, long threadId, String threadTitle, String channel,
            int number, String author, String html, boolean hidden, boolean held, List<Flag> flags, boolean anonymous,
            String channelName) {
    }

    /** Flagged posts with their open flags, and posts held for approval, in what the viewer moderates. */
    public Uni<List<QueueItem>> queue(Viewer viewer) {
        return requireFacilitator(viewer).flatMap(x -> db.list("""
                select p.id, p.thread_id, t.title, c.slug, c.name as channel_name, p.number, p.pseudonym, m.name, p.html,
                       p.hidden_at, p.held,
                       (select json_agg(json_build_object('reason', f.reason, 'text', f.text, 'flagger', fm.name,
                                'createdAt', f.created_at) order by f.created_at)
                        from flag f join member fm on fm.id = f.flagger_id where f.post_id = p.id and f.resolved_at is null) as flags
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                left join member m on m.id = p.author_id
                where p.deleted_at is null and t.deleted_at is null and %s and %s
                  and (p.held or exists (select 1 from flag f where f.post_id = p.id and f.resolved_at is null))
                order by p.held, p.id
                limit 200
                """.formatted(visibleChannel("c"), moderates("c")), Guardian.binds(viewer), row -> {
                    List<Flag> flags = new java.util.ArrayList<>();
                    io.vertx.core.json.JsonArray json = (io.vertx.core.json.JsonArray) row.getValue("flags");
                    if (json != null) {
                        json.forEach(o -> {
                            JsonObject f = (JsonObject) o;
                            flags.add(new Flag(f.getString("reason"), f.getString("text"), f.getString("flagger"),
                                    OffsetDateTime.parse(f.getString("createdAt"))));
                        });
                    }
                    String pseudonym = row.getString("pseudonym");
                    boolean held = row.getBoolean("held");
                    return new QueueItem(row.getLong("id"), held ? "held" : "flagged", row.getLong("id"), row.getLong("thread_id"),
                            row.getString("title"), row.getString("slug"), row.getInteger("number"),
                            pseudonym != null ? Pseudonyms.handle(pseudonym) : row.getString("name"), row.getString("html"),
                            row.getOffsetDateTime("hidden_at") != null, held, flags, pseudonym != null,
                            row.getString("channel_name"));
                }));
    }

    public static final List<String> DECISIONS = List.of("keep", "hide", "edit", "delete", "approve", "reject");

    /**
     * A facilitator's decision on a queue item (a post): keep (clear the flags, show it again), hide, edit with a
     * reason, delete; approve or reject a held post. Recorded in the audit log; the flaggers are told the outcome (and,
     * in the undiscussables, not who decided). An edit is written by the thread feature's one write path for edits
     * ({@link PostRevisor#editAsModerator}), which refuses anonymous posts (409): hide those instead.
     */
    public Uni<Void> decide(Viewer viewer, long postId, String action, String reason, String body) {
        if (action == null || !DECISIONS.contains(action)) {
            throw DomainException.invalid(java.util.Map.of("action", "Choose one of " + String.join(", ", DECISIONS) + "."));
        }
        Input.noNul("reason", reason);
        if (action.equals("approve")) {
            return approve(viewer, postId);
        }
        if (action.equals("reject")) {
            return reject(viewer, postId, reason);
        }
        String why = reason(reason);
        if (!action.equals("keep") && why == null) {
            throw DomainException.invalid(java.util.Map.of("reason", "Give a reason: the decision is recorded with it."));
        }
        if (action.equals("edit")) {
            PostRules.checkBody(PostRules.clean(body));
        }
        return db.inTransaction(conn -> moderatedPost(conn, viewer, postId).flatMap(post -> {
            Uni<?> change = switch (action) {
                case "keep" -> db.execute(conn, """
                        update post set hidden_at = null, hidden_reason = null where id = $1 and hidden_reason = $2
                        """, Tuple.of(postId, FLAGGED));
                case "hide" -> db.execute(conn, "update post set hidden_at = coalesce(hidden_at, " + NOW_ON_POST + "), hidden_reason = $2 where id = $1",
                        Tuple.of(postId, why));
                case "delete" -> destroyer.deleteAsModerator(conn, postId, why);
                // The edited text replaces what the flags were about: a post hidden by flags is shown again.
                default -> revisor.editAsModerator(conn, viewer, postId, body, why).flatMap(x -> db.execute(conn, """
                        update post set hidden_at = null, hidden_reason = null where id = $1 and hidden_reason = $2
                        """, Tuple.of(postId, FLAGGED)));
            };
            String outcome = switch (action) {
                case "keep" -> "kept: the facilitators found nothing to act on";
                case "hide" -> "hidden by a facilitator";
                case "delete" -> "deleted by a facilitator";
                default -> "edited by a facilitator";
            };
            boolean undiscussables = "undiscussables".equals(post.getString("kind"));
            return change.flatMap(x -> db.execute(conn, """
                    with resolved as (
                        update flag set resolved_at = now(), resolution = $2, resolved_by = $3
                        where post_id = $1 and resolved_at is null returning flagger_id
                    )
                    insert into notification (member_id, kind, thread_id, post_id, actor_id, detail)
                    select distinct r.flagger_id, 'moderation', $4::bigint, $1::bigint, $5::bigint, $6::text from resolved r
                    """, Tuple.from(Arrays.asList(postId, action, viewer.id(), post.getLong("thread_id"),
                    undiscussables ? null : viewer.id(), "A post you flagged was " + outcome + "."))))
                    .flatMap(x -> switch (action) {
                        case "hide" -> tellAuthor(conn, viewer, post, "hid", why);
                        case "delete" -> tellAuthor(conn, viewer, post, "deleted", why);
                        default -> Uni.createFrom().voidItem();
                    })
                    .flatMap(x -> audit(conn, viewer, "review." + action, post, why));
        }));
    }

    // ---------------------------------------------------------------- threads

    private static final String THREAD_FOR_MODERATION = """
            select t.id, t.title, t.locked_at, t.pinned_at, t.closed_at, t.channel_id, c.cohort_id, c.kind, c.slug,
                   %s as moderator
            from thread t join channel c on c.id = t.channel_id
            where t.id = #{thread} and %s and %s
            for update of t
            """.formatted(moderates("c"), visibleThread("t"), visibleChannel("c"));

    private Uni<Row> moderatedThread(SqlConnection conn, Viewer viewer, long threadId) {
        Guardian.requireCanWrite(viewer);
        return db.one(conn, THREAD_FOR_MODERATION, Guardian.binds(viewer).and("thread", threadId), row -> row)
                .map(thread -> {
                    Guardian.ensureCanModerate(thread == null ? null : thread.getBoolean("moderator"), "The thread");
                    return thread;
                });
    }

    // ---------------------------------------------------------------- removing whole threads

    private static final String THREAD_FOR_REMOVAL = """
            select t.id, t.title, t.hidden_at, t.hidden_reason, t.channel_id, c.cohort_id, c.kind, c.slug, %s as moderator
            from thread t join channel c on c.id = t.channel_id
            where t.id = #{thread} and t.deleted_at is null and %s and %s
            for update of t
            """.formatted(moderates("c"), Guardian.visibleThread("t", "c"), visibleChannel("c"));

    /**
     * Hides a whole thread ({@code hidden} true, with a reason) or shows it again (false; the reason is optional): a
     * hidden thread's title and posts leave every list, count, digest and notification of members; the channel's
     * moderators still see it, marked with the reason. Audited. Refuses: a thread the viewer may not see or that is
     * deleted (404); a channel they do not moderate (403); no reason to hide (400); hiding a hidden thread or showing a
     * shown one (409).
     */
    public Uni<Void> hideThread(Viewer viewer, long threadId, String reason, boolean hidden) {
        Guardian.requireCanWrite(viewer);
        String why = removalReason(reason, hidden);
        return db.inTransaction(conn -> removableThread(conn, viewer, threadId).flatMap(thread -> {
            boolean isHidden = thread.getOffsetDateTime("hidden_at") != null;
            if (isHidden == hidden) {
                throw DomainException.conflict(hidden ? "This thread is already hidden." : "This thread is not hidden.");
            }
            Uni<?> change = hidden
                    ? db.execute(conn, "update thread set hidden_at = now(), hidden_reason = $2 where id = $1",
                            Tuple.of(threadId, why))
                    : db.execute(conn, "update thread set hidden_at = null, hidden_reason = null where id = $1",
                            Tuple.of(threadId));
            return change
                    .flatMap(x -> threadAudit(conn, viewer, hidden ? "thread.hide" : "thread.unhide", thread, why,
                            hidden ? null : new JsonObject().put("hiddenReason", thread.getString("hidden_reason")), null));
        }));
    }

    /**
     * Deletes a whole thread, with a reason: like a hidden thread it leaves everything members see, for good (nothing
     * shows it again); the channel's moderators still see it, marked. Audited. Refuses as {@link #hideThread}.
     */
    public Uni<Void> deleteThread(Viewer viewer, long threadId, String reason) {
        Guardian.requireCanWrite(viewer);
        String why = removalReason(reason, true);
        return db.inTransaction(conn -> removableThread(conn, viewer, threadId).flatMap(thread -> destroyer
                .deleteThreadAsModerator(conn, threadId, why)
                .flatMap(x -> threadAudit(conn, viewer, "thread.delete", thread, why, null, null))));
    }

    private Uni<Row> removableThread(SqlConnection conn, Viewer viewer, long threadId) {
        return db.one(conn, THREAD_FOR_REMOVAL, Guardian.binds(viewer).and("thread", threadId),
                row -> row).map(thread -> {
                    Guardian.ensureCanModerate(thread == null ? null : thread.getBoolean("moderator"), "The thread");
                    return thread;
                });
    }

    /** The longest reason kept for removing a thread. */
    public static final int MAX_REASON = 500;

    /** The reason for a removal: required to remove (400 without one), optional to show again; stripped. */
    private static String removalReason(String reason, boolean required) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why == null && required) {
            throw DomainException.invalid(java.util.Map.of("reason",
                    "Give the reason: it is recorded in the audit log with the removal."));
        }
        if (why != null && why.length() > MAX_REASON) {
            throw DomainException.invalid(java.util.Map.of("reason",
                    "Keep the reason under " + MAX_REASON + " characters (it has " + why.length() + ")."));
        }
        return why;
    }

    /** Sets or clears a thread state: "locked", "pinned" or "closed". */
    public Uni<Void> threadState(Viewer viewer, long threadId, String state, boolean on, String reason) {
        String column = switch (state) {
            case "locked" -> "locked_at";
            case "pinned" -> "pinned_at";
            case "closed" -> "closed_at";
            default -> throw new IllegalArgumentException(state);
        };
        String verb = switch (state) {
            case "locked" -> "lock";
            case "pinned" -> "pin";
            default -> "close";
        };
        return db.inTransaction(conn -> moderatedThread(conn, viewer, threadId).flatMap(thread -> db.execute(conn,
                "update thread set " + column + " = " + (on ? "coalesce(" + column + ", now())" : "null") + " where id = $1",
                Tuple.of(threadId))
                .flatMap(x -> threadAudit(conn, viewer, "thread." + (on ? "" : "un") + verb, thread, reason, null, null))));
    }

    /**
     * Moves a thread to another channel the moderator moderates. Moving cohort content where a wider or another audience
     * reads it needs {@code confirmWiderAudience}.
     */
    public Uni<Void> move(Viewer viewer, long threadId, String targetSlug, boolean confirmWiderAudience, String rawReason) {
        Input.refuseNul("channel", targetSlug, "reason", rawReason);
        String reason = reason(rawReason);
        return db.inTransaction(conn -> moderatedThread(conn, viewer, threadId).flatMap(thread -> db.one(conn, """
                select c.id, c.slug, c.cohort_id, c.kind, %s as moderator from channel c where c.slug = #{slug} and %s
                """.formatted(moderates("c"), visibleChannel("c")),
                Guardian.binds(viewer).and("slug", targetSlug == null ? "" : targetSlug), row -> row)
                .flatMap(target -> {
                    if (target == null) {
                        throw DomainException.invalid(java.util.Map.of("channel", "There is no channel \"" + targetSlug + "\" you can see."));
                    }
                    if (!target.getBoolean("moderator")) {
                        throw DomainException.forbidden("You can only move threads into channels you moderate.");
                    }
                    if (target.getLong("id").equals(thread.getLong("channel_id"))) {
                        throw DomainException.conflict("The thread is already in that channel.");
                    }
                    Long from = thread.getLong("cohort_id");
                    Long to = target.getLong("cohort_id");
                    boolean widens = from != null && !from.equals(to);
                    if (widens && !confirmWiderAudience) {
                        throw DomainException.conflict("This thread belongs to a cohort; in \"" + target.getString("slug")
                                + "\" people outside that cohort would read it. Confirm the move to a wider audience "
                                + "(confirmWiderAudience) if that is what you want. Nothing was moved.");
                    }
                    if ("undiscussables".equals(thread.getString("kind")) != "undiscussables".equals(target.getString("kind"))) {
                        throw DomainException.conflict("Threads move between the undiscussables and named channels never: "
                                + "their authors chose how they post. Nothing was moved.");
                    }
                    return db.execute(conn, "update thread set channel_id = $2 where id = $1", Tuple.of(threadId, target.getLong("id")))
                            .flatMap(x -> threadAudit(conn, viewer, "thread.move", thread, reason,
                                    new JsonObject().put("channel", thread.getString("slug")),
                                    new JsonObject().put("channel", target.getString("slug"))));
                })));
    }

    private Uni<Void> threadAudit(SqlConnection conn, Viewer actor, String action, Row thread, String reason,
            JsonObject before, JsonObject after) {
        return auditLog.record(conn, AuditEntry.of(actor.id(), action, "thread", String.valueOf(thread.getLong("id")))
                .withReason(reason).withChange(before, after).inChannel(thread.getLong("channel_id")));
    }

    // ---------------------------------------------------------------- members

    /** Admins suspend a member until a date (or indefinitely, until null): they can read, and write nothing. */
    public Uni<Void> suspend(Viewer viewer, long memberId, OffsetDateTime until, String reason) {
        Guardian.requireCanWrite(viewer);
        if (!viewer.isAdmin()) {
            throw DomainException.forbidden("Only admins can suspend members.");
        }
        String why = reason(reason);
        if (why == null) {
            throw DomainException.invalid(java.util.Map.of("reason", "Give the reason: the member will see it."));
        }
        Input.noNul("reason", reason);
        Input.date("until", until);
        if (until != null && until.isBefore(OffsetDateTime.now())) {
            throw DomainException.invalid(java.util.Map.of("until", "The end of a suspension must be in the future."));
        }
        if (memberId == viewer.id()) {
            throw DomainException.conflict("You cannot suspend yourself.");
        }
        return memberAction(viewer, memberId, "member.suspend", why, """
                update member set suspended_until = coalesce($2, 'infinity'::timestamptz), suspension_reason = $3 where id = $1
                """, Tuple.from(Arrays.asList(memberId, until, why)));
    }

    public Uni<Void> unsuspend(Viewer viewer, long memberId) {
        Guardian.requireCanWrite(viewer);
        if (!viewer.isAdmin()) {
            throw DomainException.forbidden("Only admins can lift a suspension.");
        }
        return memberAction(viewer, memberId, "member.unsuspend", null,
                "update member set suspended_until = null, suspension_reason = null where id = $1", Tuple.of(memberId));
    }

    private Uni<Void> memberAction(Viewer viewer, long memberId, String action, String reason, String sql, Tuple params) {
        return db.inTransaction(conn -> db.one(conn, "select id, suspended_until from member where id = $1 for update",
                Tuple.of(memberId), row -> row).flatMap(member -> {
                    if (member == null) {
                        throw DomainException.notFound("The member");
                    }
                    return db.execute(conn, sql, params).flatMap(x -> auditLog.record(conn, AuditEntry.of(viewer.id(), action, "member",
                            String.valueOf(memberId)).withReason(reason).withChange(new JsonObject().put("suspendedUntil",
                            String.valueOf(member.getOffsetDateTime("suspended_until"))), null)));
                })).invoke(() -> members.forget(memberId)).replaceWithVoid();
    }

    /**
     * A cohort's facilitators (or admins) make a member of that cohort read-only in it, until a time (null: until
     * lifted), or lift it ({@code on} false). Who may do it is checked before what they sent.
     */
    public Uni<Void> silence(Viewer viewer, String cohortSlug, long memberId, OffsetDateTime until, String reason, boolean on) {
        Guardian.requireCanWrite(viewer);
        if (Input.hasNul(cohortSlug)) {
            throw DomainException.notFound("The cohort"); // no cohort has such an address
        }
        return db.inTransaction(conn -> db.one(conn, """
                select co.id, %s as facilitator, %s as visible,
                       exists (select 1 from cohort_member cm where cm.cohort_id = co.id and cm.member_id = #{member}) as their_cohort
                from cohort co where co.slug = #{slug}
                """.formatted(Guardian.facilitatesCohort("co"), Guardian.visibleCohort("co")),
                Guardian.binds(viewer).and("slug", cohortSlug).and("member", memberId), row -> row).flatMap(cohort -> {
                    if (cohort == null || !cohort.getBoolean("visible")) {
                        throw DomainException.notFound("The cohort");
                    }
                    if (!cohort.getBoolean("facilitator")) {
                        throw DomainException.forbidden("Only the cohort's facilitators can silence its members.");
                    }
                    String why = on ? checkSilence(until, reason) : null;
                    if (on && !cohort.getBoolean("their_cohort")) {
                        throw DomainException.notFound("The member in the cohort \"" + cohortSlug + "\"");
                    }
                    long cohortId = cohort.getLong("id");
                    Uni<?> change = on
                            ? db.execute(conn, """
                                    insert into cohort_silence (cohort_id, member_id, until, reason, silenced_by)
                                    values ($1, $2, coalesce($3, 'infinity'::timestamptz), $4, $5)
                                    on conflict (cohort_id, member_id) do update set until = excluded.until, reason = excluded.reason
                                    """, Tuple.from(Arrays.asList(cohortId, memberId, until, why, viewer.id())))
                            : db.execute(conn, "delete from cohort_silence where cohort_id = $1 and member_id = $2",
                                    Tuple.of(cohortId, memberId));
                    return change.flatMap(x -> auditLog.record(conn, AuditEntry.of(viewer.id(), on ? "member.silence" : "member.unsilence",
                            "member", String.valueOf(memberId)).withReason(why)
                            .withChange(null, new JsonObject().put("cohort", cohortSlug))));
                })).replaceWithVoid();
    }

    /** The reason of a silence as recorded, or the refusal of what was sent. */
    private static String checkSilence(OffsetDateTime until, String reason) {
        Input.noNul("reason", reason);
        Input.date("until", until);
        java.util.Map<String, String> errors = new java.util.LinkedHashMap<>();
        if (until != null && !until.isAfter(OffsetDateTime.now())) {
            errors.put("until", "The end of a silence must be in the future (or empty: until it is lifted).");
        }
        String why = TextRules.oneLineField(errors, "reason", "the reason", reason, false);
        if (why == null) {
            errors.putIfAbsent("reason", "Give the reason: the member will see it.");
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return why;
    }

    /**
     * A cohort of a member that the viewer moderates (admins: all of the member's cohorts), and the member's silence
     * there: {@code silenced} with {@code until} (null: until lifted) and the reason, or not silenced.
     */
    public record CohortSilence(String slug, String name, boolean silenced, OffsetDateTime until, String reason) {
    }

    /** The member's cohorts where the viewer may silence them, in one query; none for a viewer who cannot write. */
    public Uni<List<CohortSilence>> silences(Viewer viewer, long memberId) {
        if (viewer.isGuest() || viewer.isSuspended()) {
            return Uni.createFrom().item(List.of());
        }
        return db.list("""
                select co.slug, co.name, s.member_id is not null as silenced,
                       case when s.until = 'infinity' then null else s.until end as until, s.reason
                from cohort co
                join cohort_member their on their.cohort_id = co.id and their.member_id = #{member}
                left join cohort_silence s on s.cohort_id = co.id and s.member_id = #{member} and s.until > now()
                where %s
                order by lower(co.name)
                """.formatted(Guardian.facilitatesCohort("co")), Guardian.binds(viewer).and("member", memberId),
                row -> new CohortSilence(row.getString("slug"), row.getString("name"), row.getBoolean("silenced"),
                        row.getOffsetDateTime("until"), row.getString("reason")));
    }

    /** Facilitators (of the network or of a cohort) and admins pass; everyone else is refused. */
    public Uni<Void> requireFacilitator(Viewer viewer) {
        Guardian.requireCanWrite(viewer);
        if (viewer.isAdmin() || viewer.isNetworkFacilitator()) {
            return Uni.createFrom().voidItem();
        }
        return db.one("select exists (select 1 from cohort_member where member_id = $1 and role = 'facilitator') as f",
                Tuple.of(viewer.id()), row -> row.getBoolean("f")).map(facilitator -> {
                    if (!facilitator) {
                        throw DomainException.forbidden("This is for facilitators and admins.");
                    }
                    return null;
                });
    }

    // ---------------------------------------------------------------- the audit log

    public record AuditLine(long id, String actor, String action, String targetType, String targetId,
            String targetPseudonym, String reason, String before, String after, String channel, OffsetDateTime createdAt) {
    }

    /**
     * The audit log, newest first: admins see everything; facilitators the entries about channels they moderate.
     * Filters: actor (username), action (prefix), from/to (dates).
     */
    public Uni<List<AuditLine>> audit(Viewer viewer, String actor, String action, OffsetDateTime from, OffsetDateTime to) {
        return requireFacilitator(viewer).flatMap(x -> {
            Input.refuseNul("actor", actor, "action", action);
            Input.date("from", from);
            Input.date("to", to);
            return auditQuery(viewer, actor, action, from, to);
        });
    }

    private Uni<List<AuditLine>> auditQuery(Viewer viewer, String actor, String action, OffsetDateTime from, OffsetDateTime to) {
        return db.list("""
                select a.id, m.username, a.action, a.target_type, a.target_id, a.target_pseudonym, a.reason,
                       a.before::text as before, a.after::text as after, c.slug, a.created_at
                from audit_entry a
                left join member m on m.id = a.actor_id
                left join channel c on c.id = a.channel_id
                where (#{admin} or (c.id is not null and %s))
                  and (#{actor}::text is null or lower(m.username) = lower(#{actor}))
                  and (#{action}::text is null or a.action like #{action} || '%%')
                  and (#{from}::timestamptz is null or a.created_at >= #{from})
                  and (#{to}::timestamptz is null or a.created_at < #{to})
                order by a.created_at desc, a.id desc
                limit 500
                """.formatted(moderates("c")),
                Guardian.binds(viewer).and("actor", blankToNull(actor)).and("action", blankToNull(action))
                        .and("from", from).and("to", to),
                row -> new AuditLine(row.getLong("id"), row.getString("username"), row.getString("action"),
                        row.getString("target_type"), row.getString("target_id"), row.getString("target_pseudonym"),
                        row.getString("reason"), row.getString("before"), row.getString("after"), row.getString("slug"),
                        row.getOffsetDateTime("created_at")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
