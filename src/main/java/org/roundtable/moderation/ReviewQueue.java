package org.roundtable.moderation;

import static org.roundtable.security.Guardian.moderates;
import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.text.TextRules;
import org.roundtable.thread.PostDestroyer;
import org.roundtable.thread.PostRevisor;
import org.roundtable.thread.PostRules;
import org.roundtable.ratelimit.RateLimits;
import org.roundtable.web.Input;

/**
 * Flags and the review queue: members flag posts (enough flags hide a post until a facilitator decides), and
 * facilitators decide on the flagged and held posts of what they moderate. The author is never told who flagged; in the
 * undiscussables the flaggers are not told who decided.
 */
@ApplicationScoped
public class ReviewQueue {

    private final Database db;
    private final RateLimits rateLimits;
    private final ModerationConfig config;
    private final Pseudonyms pseudonyms;
    private final PostModeration posts;
    private final PostRevisor revisor;
    private final PostDestroyer destroyer;
    private final Facilitators facilitators;

    public ReviewQueue(Database db, RateLimits rateLimits, ModerationConfig config, Pseudonyms pseudonyms,
            PostModeration posts, PostRevisor revisor, PostDestroyer destroyer, Facilitators facilitators) {
        this.db = db;
        this.rateLimits = rateLimits;
        this.config = config;
        this.pseudonyms = pseudonyms;
        this.posts = posts;
        this.revisor = revisor;
        this.destroyer = destroyer;
        this.facilitators = facilitators;
    }

    /**
     * A member flags a post; one flag per member per post. Flags from the channel's threshold of distinct members hide
     * the post pending review. The author is never told who flagged.
     */
    public Uni<Void> flag(Viewer viewer, long postId, String rawReason, String text) {
        Guardian.requireCanWrite(viewer);
        FlagReason reason = FlagReason.of(rawReason);
        java.util.Map<String, String> textErrors = new java.util.LinkedHashMap<>();
        String note = TextRules.multiLineField(textErrors, "text", "the note", PostRules.clean(text));
        if (!textErrors.isEmpty()) {
            throw DomainException.invalid(textErrors);
        }
        if (reason == FlagReason.OTHER && note == null) {
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
                                    """, Tuple.from(Arrays.asList(postId, viewer.id(), reason.code(), note)), row -> row))
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
                                        """.formatted(PostModeration.NOW_ON_POST), Tuple.of(postId, FLAGGED))
                                        .flatMap(y -> posts.audit(conn, null, "post.hide.flags", post,
                                                "Flagged by " + counts.getLong("open") + " members"));
                            });
                }));
    }

    /** The reason a post hidden by flags carries until a facilitator decides. */
    public static final String FLAGGED = org.roundtable.notification.NotificationService.HIDDEN_BY_FLAGS;

    public record Flag(String reason, String text, String flagger, OffsetDateTime createdAt) {
    }

    /**
     * An item of the review queue; {@code channel} is the channel's address, {@code channelName} what people call it;
     * {@code anonymous}: the post is anonymous, so the decisions exclude "edit" (facilitators never edit those).
     */
    public record QueueItem(long itemId, String kind, long postId, long threadId, String threadTitle, String channel,
            int number, String author, String html, boolean hidden, boolean held, List<Flag> flags, boolean anonymous,
            String channelName) {
    }

    /** The most items the queue shows (and its count in the menu counts). */
    static final int QUEUE_LIMIT = 200;

    /**
     * The items of the queue (alias p: the post, t its thread, c its channel): posts not deleted, held for approval or
     * with open flags, in the channels the viewer sees and moderates. The queue and its count share it, so they agree.
     * The candidates come from the open flags ({@code flag_open_idx}) and the held posts ({@code post_held_idx}, V23),
     * both small, and are looked up by key: the menu counts them on every page of a facilitator, and testing
     * "held or flagged" on each post read all of them (1,000,000 on the benchmark data set: docs/benchmarks.md).
     */
    private static final String QUEUE_ITEMS = """
            p.id in (select f.post_id from flag f where f.resolved_at is null
                     union select h.id from post h where h.held)
            and p.deleted_at is null and t.deleted_at is null and %s and %s
            """.formatted(visibleChannel("c"), moderates("c"));

    /** Flagged posts with their open flags, and posts held for approval, in what the viewer moderates. */
    public Uni<List<QueueItem>> queue(Viewer viewer) {
        return facilitators.requireFacilitator(viewer).flatMap(x -> db.list("""
                select p.id, p.thread_id, t.title, c.slug, c.name as channel_name, p.number, p.pseudonym, m.name, p.html,
                       p.hidden_at, p.held,
                       (select json_agg(json_build_object('reason', f.reason, 'text', f.text, 'flagger', fm.name,
                                'createdAt', f.created_at) order by f.created_at)
                        from flag f join member fm on fm.id = f.flagger_id where f.post_id = p.id and f.resolved_at is null) as flags
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                left join member m on m.id = p.author_id
                where %s
                order by p.held, p.id
                limit %d
                """.formatted(QUEUE_ITEMS, QUEUE_LIMIT), Guardian.binds(viewer), row -> {
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

    /**
     * Whether the viewer facilitates anything (the network, a cohort; admins do), so that the menu offers them the review
     * queue, and how many items wait in it for them ({@code items}: what {@link #queue} lists for them, counted).
     */
    public record Waiting(boolean facilitates, int items) {
        static final Waiting NONE = new Waiting(false, 0);
    }

    /**
     * What the menu of every page says of the review queue ({@link Waiting}): one statement for a member, none for a
     * guest or a suspended member (the queue refuses them); the items are counted only for those who facilitate.
     * The test of who facilitates is {@link Facilitators#requireFacilitator}'s.
     */
    public Uni<Waiting> waiting(Viewer viewer) {
        if (!Guardian.canWrite(viewer)) {
            return Uni.createFrom().item(Waiting.NONE);
        }
        return db.one("""
                select f.facilitates,
                       case when f.facilitates then (select count(*) from (
                           select 1 from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                           where %s limit %d) q) else 0 end as items
                from (select (#{admin} or #{facilitator} or %s) as facilitates) f
                """.formatted(QUEUE_ITEMS, QUEUE_LIMIT, Facilitators.FACILITATES_A_COHORT), Guardian.binds(viewer),
                row -> new Waiting(row.getBoolean("facilitates"), row.getLong("items").intValue()));
    }

    /**
     * A facilitator's decision on a queue item (a post): keep (clear the flags, show it again), hide, edit with a
     * reason, delete; approve or reject a held post. Recorded in the audit log; the flaggers are told the outcome (and,
     * in the undiscussables, not who decided). An edit is written by the thread feature's one write path for edits
     * ({@link PostRevisor#editAsModerator}), which refuses anonymous posts (409): hide those instead.
     */
    public Uni<Void> decide(Viewer viewer, long postId, String rawAction, String reason, String body) {
        ReviewDecision action = ReviewDecision.of(rawAction);
        Input.noNul("reason", reason);
        if (action == ReviewDecision.APPROVE) {
            return posts.approve(viewer, postId);
        }
        if (action == ReviewDecision.REJECT) {
            return posts.reject(viewer, postId, reason);
        }
        String why = Reasons.reason(reason);
        if (action != ReviewDecision.KEEP && why == null) {
            throw DomainException.invalid(java.util.Map.of("reason", "Give a reason: the decision is recorded with it."));
        }
        if (action == ReviewDecision.EDIT) {
            PostRules.checkBody(PostRules.clean(body));
        }
        return db.inTransaction(conn -> posts.moderatedPost(conn, viewer, postId).flatMap(post -> {
            Uni<?> change = switch (action) {
                case KEEP -> db.execute(conn, """
                        update post set hidden_at = null, hidden_reason = null where id = $1 and hidden_reason = $2
                        """, Tuple.of(postId, FLAGGED));
                case HIDE -> db.execute(conn, "update post set hidden_at = coalesce(hidden_at, " + PostModeration.NOW_ON_POST
                                + "), hidden_reason = $2 where id = $1",
                        Tuple.of(postId, why));
                case DELETE -> destroyer.deleteAsModerator(conn, postId, why);
                // The edited text replaces what the flags were about: a post hidden by flags is shown again.
                case EDIT -> revisor.editAsModerator(conn, viewer, postId, body, why).flatMap(x -> db.execute(conn, """
                        update post set hidden_at = null, hidden_reason = null where id = $1 and hidden_reason = $2
                        """, Tuple.of(postId, FLAGGED)));
                case APPROVE, REJECT -> throw new IllegalStateException("decided above: " + action);
            };
            boolean undiscussables = "undiscussables".equals(post.getString("kind"));
            return change.flatMap(x -> db.execute(conn, """
                    with resolved as (
                        update flag set resolved_at = now(), resolution = $2, resolved_by = $3
                        where post_id = $1 and resolved_at is null returning flagger_id
                    )
                    insert into notification (member_id, kind, thread_id, post_id, actor_id, detail)
                    select distinct r.flagger_id, 'moderation', $4::bigint, $1::bigint, $5::bigint, $6::text from resolved r
                    """, Tuple.from(Arrays.asList(postId, action.code(), viewer.id(), post.getLong("thread_id"),
                    undiscussables ? null : viewer.id(), "A post you flagged was " + action.outcome() + "."))))
                    .flatMap(x -> switch (action) {
                        case HIDE -> posts.tellAuthor(conn, viewer, post, "hid", why);
                        case DELETE -> posts.tellAuthor(conn, viewer, post, "deleted", why);
                        default -> Uni.createFrom().voidItem();
                    })
                    .flatMap(x -> posts.audit(conn, viewer, "review." + action.code(), post, why));
        }));
    }
}
