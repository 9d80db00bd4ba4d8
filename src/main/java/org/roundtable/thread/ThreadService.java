package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.anonymity.AnonymousIds;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.follow.FollowService;
import org.roundtable.ratelimit.RateLimits;
import org.roundtable.notification.NotificationService;
import org.roundtable.security.Guardian;
import org.roundtable.security.Guardian.ChannelFacts;
import org.roundtable.security.ReadOnly;
import org.roundtable.security.Viewer;
import org.roundtable.thread.markdown.MarkdownRenderer;
import org.roundtable.thread.markdown.RenderedPost;
import org.roundtable.problem.DomainException;

/**
 * Threads and posts: reading a thread page in a fixed number of statements, and every write checked against the row
 * it touches (who wrote it, whether the thread is locked, whether the viewer may see it at all).
 */
@ApplicationScoped
public class ThreadService {

    /** Replies nest visually to this depth; deeper ones are shown flat with "in reply to". */
    public static final int MAX_INDENT = 4;
    /** Posts per thread page (whole top-level branches, so a page may hold more). */
    public static final int PAGE_SIZE = 50;
    public static final int CHANNEL_PAGE_SIZE = 30;

    private final Database db;
    private final MarkdownRenderer markdown;
    private final NotificationService notifications;
    private final Pseudonyms pseudonyms;
    private final AnonymityConfig anonymity;
    private final RateLimits rateLimits;
    private final FollowService follows;
    /** The crowd of a channel (alias c) by the configured rule (Guardian#audience). */
    private final String audience;
    private final String threadHead;

    public ThreadService(Database db, MarkdownRenderer markdown, NotificationService notifications, Pseudonyms pseudonyms,
            AnonymityConfig anonymity, RateLimits rateLimits, FollowService follows) {
        this.rateLimits = rateLimits;
        this.follows = follows;
        this.db = db;
        this.markdown = markdown;
        this.notifications = notifications;
        this.pseudonyms = pseudonyms;
        this.anonymity = anonymity;
        this.audience = Guardian.audience(anonymity.crowdActiveDays(), anonymity.crowdSeatedHours());
        this.threadHead = THREAD_HEAD.formatted(audience, Guardian.moderates("c"), Guardian.threadRemoval("t"),
                Guardian.silenced("c"), Guardian.silencedUntil("c"), visibleThread("t", "c"), visibleChannel("c"));
    }

    public record Created(long threadId, long postId, int number, boolean anonymous) {
        Created(long threadId, long postId, int number) {
            this(threadId, postId, number, false);
        }
    }

    // ---------------------------------------------------------------- reading

    private static final String THREAD_HEAD = """
            select t.id, t.title, t.tags, t.locked_at, t.pinned_at, t.closed_at, t.accepted_post_id, t.post_count, t.author_id, t.author_pseudonym,
                   t.created_at, c.id as channel_id, c.slug, c.name as channel_name, c.kind, c.requires_approval,
                   co.slug as cohort_slug, co.name as cohort_name,
                   (select count(*) from cohort_member cm where cm.cohort_id = c.cohort_id) as cohort_members,
                   case when c.kind = 'undiscussables' then %s else 0 end as audience,
                   %s as moderator, %s as removal, coalesce(t.hidden_reason, t.deleted_reason) as removal_reason,
                   coalesce(tr.last_read_number, 0) as last_read,
                   %s as silenced_reason, %s as silenced_until,
                   b.thread_id is not null as blocked, b.reason as block_reason
            from thread t
            join channel c on c.id = t.channel_id
            left join cohort co on co.id = c.cohort_id
            left join thread_read tr on tr.thread_id = t.id and tr.member_id = #{viewer}
            left join pseudonym_block b on b.thread_id = t.id and b.pseudonym = #{pseudonym}
            where t.id = #{thread} and %s and %s
            """;

    // One statement for the opening post, the accepted answer and one page of whole top-level branches, with authors,
    // the author replied to, and reaction counts: no query per post, whatever the thread's size. When the page marks the
    // thread read ($8 is the viewer's read marker; else the largest int, which finds nothing), the same statement finds
    // how far the marker may move: the first post after it that counts as new to the viewer (countsAsNew) and that
    // this page does not show (docs/architecture.md, "What is removed, and read markers").
    private static final String THREAD_POSTS = """
            with branch as (
                select root, (coalesce(sum(n) over (order by root rows between unbounded preceding and 1 preceding), 0)::bigint / $3)::int as page
                from (select path[1] as root, count(*) as n from post
                      where thread_id = $1 and number > 1 and (not held or $6 or pseudonym = $7) group by path[1]) x
            )
            select p.id, p.number, p.reply_to_id, cardinality(p.path) as depth, p.author_id, p.pseudonym,
                   p.html, p.created_at, p.edited_at, p.version, p.deleted_at, p.hidden_at, p.held,
                   m.username, m.name, rp.number as reply_to_number, rm.name as reply_to_name, rp.pseudonym as reply_to_pseudonym,
                   coalesce(b.page, -1) as page, (select coalesce(max(page), 0) + 1 from branch) as page_count,
                   (select q.number from post q
                    where q.thread_id = $1 and q.number > $8 and q.number > 1 and q.id <> $5 and %1$s
                      and not exists (select 1 from branch sb where sb.root = q.path[1] and sb.page = $4)
                    order by q.number limit 1) as first_unshown,
                   (select t.post_count from thread t where t.id = $1) as post_count_now,
                   (select json_object_agg(k.kind, k.n) from (select r.kind, count(*) as n from reaction r
                        where r.post_id = p.id group by r.kind) k) as reactions,
                   (select array_agg(r.kind) from reaction r where r.post_id = p.id
                        and (r.member_id = $2 or r.pseudonym = $7)) as my_reactions
            from post p
            left join branch b on b.root = p.path[1]
            left join member m on m.id = p.author_id
            left join post rp on rp.id = p.reply_to_id
            left join member rm on rm.id = rp.author_id
            where p.thread_id = $1 and (not p.held or $6 or p.pseudonym = $7) and (p.number = 1 or b.page = $4 or p.id = $5)
            order by p.number <> 1, p.path
            """.formatted(countsAsNew("q", "$2"));

    /**
     * SQL for "post (alias {@code p}) counts as new to the member {@code memberExpr}": it is shown to members (not
     * deleted, hidden or held for approval) and not the member's own named post. Unread marks, unread counts and the
     * "New since your last visit" line count only such posts; a read marker moves over the others freely. (Anonymous
     * posts live in the undiscussables, which keep no read markers at all.)
     */
    static String countsAsNew(String p, String memberExpr) {
        return "(" + p + ".deleted_at is null and " + p + ".hidden_at is null and not " + p + ".held and " + p
                + ".author_id is distinct from " + memberExpr + ")";
    }

    /**
     * SQL for "thread (alias {@code t}) has posts after the read marker {@code lastReadExpr}" as lists count it: its last
     * post members see (removed posts pass over) is after the marker. The member's own posts are not after it: posting
     * moves the writer's marker over them (see {@link #insertReply}).
     */
    public static String unread(String t, String lastReadExpr) {
        return "(coalesce(" + t + ".last_shown_number, " + t + ".post_count) > " + lastReadExpr + ")";
    }

    private static final String MARK_READ = """
            insert into thread_read (member_id, thread_id, last_read_number) values ($1, $2, $3)
            on conflict (member_id, thread_id) do update
            set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number)
            where thread_read.last_read_number < excluded.last_read_number
            """;

    /** A thread page; null when the thread does not exist or the viewer may not see it (the same 404). */
    public Uni<ThreadDetail> thread(Viewer viewer, long threadId, int page, boolean markRead) {
        // The viewer's pseudonym in the thread finds whether it is blocked there (a block names a pseudonym only).
        String pseudonym = viewer.isGuest() ? "" : pseudonyms.of(viewer.id(), threadId);
        return db.one(threadHead, Guardian.binds(viewer).and("thread", threadId).and("pseudonym", pseudonym), row -> row)
                .flatMap(head -> head == null ? Uni.createFrom().nullItem() : posts(viewer, head, Math.max(page, 0), markRead));
    }

    private Uni<ThreadDetail> posts(Viewer viewer, Row head, int page, boolean markRead) {
        long threadId = head.getLong("id");
        Long acceptedId = head.getLong("accepted_post_id");
        int lastRead = head.getInteger("last_read");
        int postCount = head.getInteger("post_count");
        boolean moderator = head.getBoolean("moderator");
        boolean undiscussables = UNDISCUSSABLES.equals(head.getString("kind"));
        // The viewer's pseudonym in this thread: which anonymous posts are theirs (computed, never stored with them).
        String mine = viewer.isGuest() ? "" : pseudonyms.of(viewer.id(), threadId);
        PostContext context = new PostContext(viewer, mine, head.getString("author_pseudonym"), head.getLong("author_id"),
                acceptedId, lastRead, moderator);
        // The undiscussables keep no read markers: a marker that jumps to an anonymous post when it appears would point
        // at its author.
        boolean marking = markRead && !viewer.isGuest() && !undiscussables;
        Tuple params = Tuple.from(Arrays.asList(threadId, viewer.id(), PAGE_SIZE, page, acceptedId == null ? -1L : acceptedId,
                moderator, mine, marking ? lastRead : Integer.MAX_VALUE));
        return db.list(THREAD_POSTS, params, row -> row).flatMap(rows -> {
            PostView opening = null;
            PostView accepted = null;
            List<PostView> replies = new ArrayList<>();
            int pageCount = 1;
            Integer firstUnshown = null;
            int postCountNow = postCount;
            for (Row row : rows) {
                firstUnshown = row.getInteger("first_unshown");
                postCountNow = row.getInteger("post_count_now");
                PostView post = toPost(context, row);
                pageCount = row.getInteger("page_count");
                if (post.number() == 1) {
                    opening = post;
                } else {
                    if (acceptedId != null && post.id() == acceptedId) {
                        accepted = post;
                    }
                    if (row.getInteger("page") == page) {
                        replies.add(post);
                    }
                }
            }
            Long authorId = head.getLong("author_id");
            ThreadDetail detail = new ThreadDetail(threadId, head.getString("title"),
                    new ThreadDetail.ChannelRef(head.getLong("channel_id"), head.getString("slug"),
                            head.getString("channel_name"), head.getString("kind"), head.getString("cohort_slug"),
                            head.getString("cohort_name"), head.getLong("cohort_members")),
                    opening == null ? Author.DELETED : opening.author(), List.of(head.getArrayOfStrings("tags")),
                    head.getOffsetDateTime("locked_at") != null, acceptedId, head.getOffsetDateTime("created_at"),
                    opening, accepted, replies, page, pageCount, Math.max(postCount - 1, 0), lastRead,
                    (authorId != null && authorId == viewer.id()) || mine.equals(head.getString("author_pseudonym")),
                    undiscussables, moderator, head.getBoolean("requires_approval"), head.getOffsetDateTime("pinned_at") != null,
                    head.getOffsetDateTime("closed_at") != null,
                    !undiscussables || head.getLong("audience") >= anonymity.minAudience(),
                    head.getString("removal"), head.getString("removal_reason"),
                    ReadOnly.of(viewer, head.getString("silenced_reason"), head.getOffsetDateTime("silenced_until"),
                            head.getBoolean("blocked"), head.getString("block_reason")));
            // The marker moves over what this page showed, up to the first post that counts as new and is elsewhere.
            int readThrough = firstUnshown == null ? postCountNow : firstUnshown - 1;
            // A page past the last shows no replies: nothing was read.
            if (!marking || rows.isEmpty() || readThrough <= lastRead || page >= pageCount) {
                return Uni.createFrom().item(detail);
            }
            return db.execute(MARK_READ, Tuple.of(viewer.id(), threadId, readThrough)).replaceWith(detail);
        });
    }

    /** What a page needs to know to show posts to this viewer. */
    record PostContext(Viewer viewer, String viewerPseudonym, String openerPseudonym, Long openerId, Long acceptedId,
            int lastRead, boolean moderator) {
    }

    private static PostView toPost(PostContext context, Row row) {
        Viewer viewer = context.viewer();
        boolean deleted = row.getOffsetDateTime("deleted_at") != null;
        String pseudonym = row.getString("pseudonym");
        Long authorId = row.getLong("author_id");
        Author author = Author.of(row, "author_id", "username", "name", pseudonym == null ? null : Pseudonyms.handle(pseudonym));
        boolean mine = (authorId != null && authorId == viewer.id())
                || (pseudonym != null && pseudonym.equals(context.viewerPseudonym()));
        boolean opener = pseudonym != null ? pseudonym.equals(context.openerPseudonym())
                : authorId != null && authorId.equals(context.openerId());
        boolean hidden = row.getOffsetDateTime("hidden_at") != null;
        boolean held = Boolean.TRUE.equals(row.getBoolean("held"));
        // Hidden posts: a placeholder for members, the text for moderators and the author.
        boolean showText = !deleted && (!hidden || mine || context.moderator());
        // New since the last visit: as countsAsNew says, never a removed post nor the viewer's own.
        boolean isNew = context.lastRead() > 0 && row.getInteger("number") > context.lastRead() && !mine && !deleted
                && !hidden && !held;
        String replyToPseudonym = row.getString("reply_to_pseudonym");
        String replyToAuthor = replyToPseudonym != null ? Pseudonyms.handle(replyToPseudonym) : row.getString("reply_to_name");
        JsonObject counts = row.getJsonObject("reactions");
        String[] myKinds = row.getArrayOfStrings("my_reactions");
        Set<String> my = myKinds == null ? Set.of() : Set.of(myKinds);
        List<PostView.ReactionCount> reactions = new ArrayList<>();
        Reactions.KINDS.forEach((kind, label) -> {
            int n = counts == null ? 0 : counts.getInteger(kind, 0);
            reactions.add(new PostView.ReactionCount(kind, label, n, my.contains(kind)));
        });
        int number = row.getInteger("number");
        Long acceptedId = context.acceptedId();
        return new PostView(row.getLong("id"), number, row.getLong("reply_to_id"), row.getInteger("reply_to_number"),
                replyToAuthor, author, showText ? row.getString("html") : "",
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("edited_at"), row.getInteger("version"), deleted,
                row.getInteger("depth"), reactions, mine, acceptedId != null && acceptedId.equals(row.getLong("id")),
                isNew, opener && !deleted, hidden, held);
    }

    private static final String ONE_POST = """
            select p.id, p.thread_id, p.number, p.reply_to_id, cardinality(p.path) as depth, p.author_id, p.pseudonym,
                   p.html, p.source, p.created_at, p.edited_at, p.version, p.deleted_at, p.hidden_at, p.held,
                   t.accepted_post_id, t.author_id as opener_id, t.author_pseudonym as opener_pseudonym, c.kind,
                   %s as moderator,
                   m.username, m.name, rp.number as reply_to_number, rm.name as reply_to_name, rp.pseudonym as reply_to_pseudonym,
                   (select json_object_agg(k.kind, k.n) from (select r.kind, count(*) as n from reaction r
                        where r.post_id = p.id group by r.kind) k) as reactions,
                   (select array_agg(r.kind) from reaction r where r.post_id = p.id
                        and (r.member_id = #{viewer} or r.pseudonym = #{pseudonym})) as my_reactions
            from post p
            join thread t on t.id = p.thread_id
            join channel c on c.id = t.channel_id
            left join member m on m.id = p.author_id
            left join post rp on rp.id = p.reply_to_id
            left join member rm on rm.id = rp.author_id
            where p.id = #{post} and %s and %s
            """.formatted(Guardian.moderates("c"), visibleThread("t", "c"), visibleChannel("c"));

    /** A post with what the viewer may know of it: null when absent, invisible, or held for someone else. */
    private Uni<Row> postRow(Viewer viewer, long postId) {
        // The pseudonym needs the thread: one small look-up first, then the post with the viewer's pseudonym.
        return db.one("select thread_id from post where id = $1", Tuple.of(postId), row -> row.getLong("thread_id"))
                .flatMap(threadId -> threadId == null ? Uni.createFrom().nullItem()
                        : db.one(ONE_POST, Guardian.binds(viewer).and("post", postId)
                                .and("pseudonym", viewerPseudonym(viewer, threadId)), row -> row))
                .map(row -> {
                    if (row == null || !Boolean.TRUE.equals(row.getBoolean("held"))) {
                        return row;
                    }
                    boolean mine = viewerPseudonym(viewer, row.getLong("thread_id")).equals(row.getString("pseudonym"));
                    return mine || row.getBoolean("moderator") ? row : null;
                });
    }

    /** One post as the thread page shows it; null when it does not exist or is not visible to the viewer. */
    public Uni<PostView> post(Viewer viewer, long postId) {
        return postRow(viewer, postId).map(row -> row == null ? null
                : toPost(new PostContext(viewer, viewerPseudonym(viewer, row.getLong("thread_id")),
                        row.getString("opener_pseudonym"), row.getLong("opener_id"), row.getLong("accepted_post_id"), 0,
                        row.getBoolean("moderator")), row));
    }

    /** The markdown source of a post, for editing and quoting; null when not visible. */
    public Uni<PostSource> source(Viewer viewer, long postId) {
        return postRow(viewer, postId).map(row -> {
            if (row == null) {
                return null;
            }
            String pseudonym = row.getString("pseudonym");
            Long author = row.getLong("author_id");
            boolean mine = (author != null && author == viewer.id())
                    || (pseudonym != null && pseudonym.equals(viewerPseudonym(viewer, row.getLong("thread_id"))));
            boolean hidden = row.getOffsetDateTime("hidden_at") != null;
            boolean visibleText = !hidden || mine || row.getBoolean("moderator");
            return new PostSource(row.getLong("id"), row.getLong("thread_id"), row.getInteger("number"),
                    visibleText ? row.getString("source") : "", row.getInteger("version"), mine,
                    row.getOffsetDateTime("deleted_at") != null,
                    pseudonym != null ? Pseudonyms.handle(pseudonym) : row.getString("name"));
        });
    }

    /**
     * The page (0-based) of the thread page that shows a post: the page of its top-level branch, counted as
     * {@link #THREAD_POSTS} counts them; 0 for the opening post or a post not in the tree. Pages use it to send the
     * writer back to what they just wrote.
     */
    public Uni<Integer> pageOf(long threadId, long postId) {
        return db.one("""
                with branch as (
                    select root, (coalesce(sum(n) over (order by root rows between unbounded preceding and 1 preceding), 0)::bigint / $3)::int as page
                    from (select path[1] as root, count(*) as n from post
                          where thread_id = $1 and number > 1 and not held group by path[1]) x
                )
                select b.page from post p join branch b on b.root = p.path[1] where p.id = $2 and p.thread_id = $1
                """, Tuple.of(threadId, postId, PAGE_SIZE), row -> row.getInteger("page"))
                .map(page -> page == null ? 0 : page);
    }

    /**
     * Where "unread" leads: the page (0-based) of the first post after the viewer's read marker that counts as new to
     * them ({@link #countsAsNew}), and whether there is one to show. The opening post and the accepted answer are on
     * every page (page 0 then); a reply is on the page of its top-level branch, counted as {@link #pageOf} counts. Null
     * when the thread does not exist or the viewer may not see it.
     */
    public record FirstUnread(long threadId, int page, boolean found) {
    }

    public Uni<FirstUnread> firstUnread(Viewer viewer, long threadId) {
        return db.one(FIRST_UNREAD, Guardian.binds(viewer).and("thread", threadId).and("pageSize", PAGE_SIZE),
                row -> new FirstUnread(row.getLong("id"), row.getInteger("page"), row.getInteger("number") != null));
    }

    private static final String FIRST_UNREAD = """
            with branch as (
                select root, (coalesce(sum(n) over (order by root rows between unbounded preceding and 1 preceding), 0)::bigint / #{pageSize})::int as page
                from (select path[1] as root, count(*) as n from post
                      where thread_id = #{thread} and number > 1 and not held group by path[1]) x
            ),
            head as (
                select t.id, t.accepted_post_id, c.kind, coalesce(tr.last_read_number, 0) as last_read
                from thread t join channel c on c.id = t.channel_id
                left join thread_read tr on tr.thread_id = t.id and tr.member_id = #{viewer}
                where t.id = #{thread} and %s and %s
            )
            select h.id, f.number,
                   case when f.number is null or f.number = 1 or f.id = h.accepted_post_id then 0
                        else coalesce((select b.page from branch b where b.root = f.path[1]), 0) end as page
            from head h
            left join lateral (
                select q.id, q.number, q.path from post q
                where q.thread_id = h.id and q.number > h.last_read and h.kind <> 'undiscussables' and %s
                order by q.number limit 1) f on true
            """.formatted(visibleThread("t", "c"), visibleChannel("c"), countsAsNew("q", "#{viewer}"));

    public record PostSource(long id, long threadId, int number, String source, int version, boolean mine,
            boolean deleted, String authorLabel) {
    }

    public record Revision(int version, String html, String source, String editor, OffsetDateTime createdAt) {
    }

    /** Every earlier text of a post, newest first; null when the post is not visible. */
    public Uni<List<Revision>> revisions(Viewer viewer, long postId) {
        return source(viewer, postId).flatMap(post -> {
            if (post == null || post.deleted() || (post.source().isEmpty() && !post.mine())) {
                return Uni.createFrom().nullItem();
            }
            // Revisions of an anonymous post name no editor: they show the post's pseudonym.
            return db.list("""
                    select r.version, r.html, r.source, r.created_at, m.name
                    from post_revision r left join member m on m.id = r.editor_id
                    where r.post_id = $1 order by r.version desc
                    """, Tuple.of(postId), row -> new Revision(row.getInteger("version"), row.getString("html"),
                    row.getString("source"), row.getString("name") == null ? post.authorLabel() : row.getString("name"),
                    row.getOffsetDateTime("created_at")));
        });
    }

    // ---------------------------------------------------------------- writing

    /** Starts a thread as the channel's default (anonymous in the undiscussables, named elsewhere). */
    public Uni<Created> createThread(Viewer viewer, String channelSlug, String title, String body, List<String> tags,
            UUID idempotencyKey) {
        return createThread(viewer, channelSlug, title, body, tags, idempotencyKey, null);
    }

    /**
     * Starts a thread in a channel the viewer may see. The same idempotency key makes one thread. {@code anonymous}
     * null means the channel's default; anonymous posting is only possible in the undiscussables, and only when the
     * channel's audience is a crowd.
     */
    public Uni<Created> createThread(Viewer viewer, String channelSlug, String rawTitle, String rawBody, List<String> tags,
            UUID idempotencyKey, Boolean anonymous) {
        Guardian.requireCanWrite(viewer);
        String title = PostRules.clean(rawTitle);
        String body = PostRules.clean(rawBody);
        List<String> cleanTags = PostRules.normalizeTags(tags);
        PostRules.checkThread(title, body, cleanTags);
        byte[] key = keyHash(viewer, idempotencyKey);
        return replayed(key).flatMap(existing -> existing != null ? Uni.createFrom().item(existing)
                : render(body, Audience.channel(channelSlug)).flatMap(rendered -> db.inTransaction(conn -> db.one(conn, """
                        select c.id, c.kind, c.requires_approval, case when c.kind = 'undiscussables' then %s else 0 end as audience, %s
                        from channel c where c.slug = #{slug}
                        """.formatted(audience, Guardian.channelFacts("c")), Guardian.binds(viewer).and("slug", channelSlug), row -> row)
                        .flatMap(channel -> {
                            Guardian.ensureFound(channel, "The channel \"" + channelSlug + "\"");
                            ChannelFacts facts = ChannelFacts.of(channel);
                            Guardian.ensureCanSee(viewer, facts, "The channel \"" + channelSlug + "\"");
                            Guardian.ensureCanPost(facts);
                            boolean anon = anonymousPost(channel, anonymous);
                            Uni<Void> limit = anon ? rateLimits.countAnonymousPost(conn, viewer, true)
                                    : rateLimits.countPost(conn, viewer, true);
                            boolean held = anon && channel.getBoolean("requires_approval");
                            boolean markers = !UNDISCUSSABLES.equals(channel.getString("kind"));
                            return limit.flatMap(x -> insertThread(conn, viewer, channel.getLong("id"), PostRules.title(title),
                                    cleanTags, body, rendered.html(), anon, held, markers))
                                    .flatMap(created -> afterThread(conn, viewer, created, held));
                        })
                        .flatMap(created -> remember(conn, key, created))
                        .flatMap(created -> notifications.mentioned(conn, created.anonymous() ? null : viewer,
                                created.threadId(), created.postId(), rendered.mentions()).replaceWith(created)))
                        .onFailure(ThreadService::isDuplicateKey).recoverWithUni(() -> replayed(key))));
    }

    /**
     * Inserts the thread and its opening post. A thread started under a name is read by its author up to their own
     * opening post ({@code markers}: outside the undiscussables, which keep no read markers): it is not news to them.
     */
    private Uni<Created> insertThread(SqlConnection conn, Viewer viewer, long channelId, String title, List<String> tags,
            String source, String html, boolean anonymous, boolean held, boolean markers) {
        if (!anonymous) {
            return db.one(conn, """
                    with t as (
                        insert into thread (channel_id, title, author_id, tags, post_count)
                        values ($1, $2, $3, $4, 1) returning id
                    ),
                    p as (
                        insert into post (thread_id, number, path, author_id, source, html)
                        select t.id, 1, '{}', $3, $5, $6 from t
                        returning thread_id, id
                    ),
                    r as (
                        insert into thread_read (member_id, thread_id, last_read_number) select $3, t.id, 1 from t where $7
                    )
                    select thread_id, id from p
                    """, Tuple.from(Arrays.asList(channelId, title, viewer.id(), tags.toArray(String[]::new), source, html,
                    markers)),
                    row -> new Created(row.getLong("thread_id"), row.getLong("id"), 1));
        }
        // The pseudonym needs the thread's id before the row exists. Ids come from the anonymous space, not the
        // sequences (their order would place the thread among named ones); times are the hour, so that no other row of
        // the author lines up with the post.
        long threadId = AnonymousIds.next();
        return db.one(conn, """
                with t as (
                    insert into thread (id, channel_id, title, author_pseudonym, tags, post_count, created_at, last_posted_at)
                    overriding system value
                    values ($1, $2, $3, $4, $5, 1, date_trunc('hour', now()), date_trunc('hour', now())) returning id
                )
                insert into post (id, thread_id, number, path, pseudonym, source, html, created_at, held)
                overriding system value
                select $9, t.id, 1, '{}', $4, $6, $7, date_trunc('hour', now()), $8 from t
                returning thread_id, id
                """, Tuple.from(Arrays.asList(threadId, channelId, title, pseudonyms.of(viewer.id(), threadId),
                tags.toArray(String[]::new), source, html, held, AnonymousIds.next())),
                row -> new Created(row.getLong("thread_id"), row.getLong("id"), 1, true));
    }

    /** Replies as the channel's default (anonymous in the undiscussables, named elsewhere). */
    public Uni<Created> reply(Viewer viewer, long threadId, Long replyTo, String body, UUID idempotencyKey) {
        return reply(viewer, threadId, replyTo, body, idempotencyKey, null);
    }

    /** Replies to the thread (replyTo null) or to one of its posts. */
    public Uni<Created> reply(Viewer viewer, long threadId, Long replyTo, String rawBody, UUID idempotencyKey,
            Boolean anonymous) {
        Guardian.requireCanWrite(viewer);
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        byte[] key = keyHash(viewer, idempotencyKey);
        String pseudonym = pseudonyms.of(viewer.id(), threadId);
        return replayed(key).flatMap(existing -> existing != null ? Uni.createFrom().item(existing)
                : render(body, Audience.thread(threadId)).flatMap(rendered -> db.inTransaction(conn -> db.one(conn, """
                        select t.id, t.post_count, t.locked_at, t.closed_at, c.kind, c.requires_approval,
                               case when c.kind = 'undiscussables' then %s else 0 end as audience,
                               %s as cohort_archived, %s as silenced,
                               rp.id as parent_id, rp.path as parent_path, rp.number as parent_number,
                               rp.deleted_at as parent_deleted, rp.author_id as parent_author,
                               exists (select 1 from pseudonym_block b where b.thread_id = t.id and b.pseudonym = #{pseudonym}) as blocked
                        from thread t join channel c on c.id = t.channel_id
                        left join post rp on rp.id = #{replyTo} and rp.thread_id = t.id and (not rp.held or rp.pseudonym = #{pseudonym})
                        where t.id = #{thread} and %s and %s
                        for update of t
                        """.formatted(audience, Guardian.cohortArchived("c"), Guardian.silenced("c"), visibleThread("t"),
                                visibleChannel("c")),
                        Guardian.binds(viewer).and("thread", threadId).and("replyTo", replyTo == null ? -1L : replyTo)
                                .and("pseudonym", pseudonym), row -> row)
                        .flatMap(thread -> {
                            Guardian.ensureFound(thread, "The thread");
                            Guardian.ensureCanReply(thread.getBoolean("cohort_archived"),
                                    thread.getOffsetDateTime("locked_at") != null, thread.getOffsetDateTime("closed_at") != null,
                                    thread.getString("silenced"), thread.getBoolean("blocked"));
                            boolean anon = anonymousPost(thread, anonymous);
                            if (replyTo != null && thread.getLong("parent_id") == null) {
                                throw DomainException.invalid(Map.of("replyTo",
                                        "The post you are replying to is not in this thread."));
                            }
                            if (replyTo != null && thread.getOffsetDateTime("parent_deleted") != null) {
                                throw DomainException.conflict("The post you are replying to was deleted.");
                            }
                            boolean toOpening = replyTo == null || thread.getInteger("parent_number") == 1;
                            Long parent = replyTo == null ? null : thread.getLong("parent_id");
                            Long[] parentPath = toOpening ? new Long[0] : thread.getArrayOfLongs("parent_path");
                            int number = thread.getInteger("post_count") + 1;
                            Long parentAuthor = replyTo == null ? null : thread.getLong("parent_author");
                            boolean held = anon && thread.getBoolean("requires_approval");
                            Uni<Void> limit = anon ? rateLimits.countAnonymousPost(conn, viewer, false)
                                    : rateLimits.countPost(conn, viewer, false);
                            Viewer actor = anon ? null : viewer;
                            boolean markers = !UNDISCUSSABLES.equals(thread.getString("kind"));
                            return limit.flatMap(x -> insertReply(conn, viewer, threadId, number, parent, parentPath, body,
                                    rendered.html(), anon ? pseudonym : null, held, key, markers))
                                    .flatMap(created -> afterReply(conn, viewer, created, held))
                                    .flatMap(created -> (held ? Uni.createFrom().voidItem()
                                            : notifications.replied(conn, actor, viewer.id(), threadId, created.postId(), parentAuthor))
                                            .flatMap(y -> notifications.mentioned(conn, actor, threadId, created.postId(),
                                                    held ? Set.of() : rendered.mentions()))
                                            .replaceWith(created));
                        }))
                        .onFailure(ThreadService::isDuplicateKey).recoverWithUni(() -> replayed(key))));
    }

    /**
     * In the writer's transaction: a thread started under one's name is tracked by its author, and the watchers of its
     * channel and tags hear of it. Anonymous threads set no follow and notify no watcher (FollowService#notifyWatchers).
     */
    private Uni<Created> afterThread(SqlConnection conn, Viewer viewer, Created created, boolean held) {
        Uni<Void> track = created.anonymous() ? Uni.createFrom().voidItem()
                : follows.trackAfterPosting(conn, viewer.id(), created.threadId(), "created_thread");
        return track.flatMap(x -> held || created.anonymous() ? Uni.createFrom().voidItem()
                : follows.notifyWatchers(conn, created.threadId(), created.postId(), true, viewer.id()))
                .replaceWith(created);
    }

    /**
     * In the writer's transaction, after {@link #insertReply} (which also set tracking on the thread for a reply under
     * a name): the thread's watchers hear of the reply.
     */
    private Uni<Created> afterReply(SqlConnection conn, Viewer viewer, Created created, boolean held) {
        return (held || created.anonymous() ? Uni.createFrom().voidItem()
                : follows.notifyWatchers(conn, created.threadId(), created.postId(), false, viewer.id()))
                .replaceWith(created);
    }

    /**
     * Inserts the reply and moves the thread's count and activity, and in the same statement (one round trip, not
     * three: docs/benchmarks.md) remembers the idempotency key when there is one and, for a reply under a name, sets
     * tracking on the thread for its writer unless they chose a level. A replayed key fails the statement with the
     * key's unique violation, and the caller answers with the post that key made.
     *
     * <p>A reply under a name is not news to its writer: when nothing that counts as new to them lies between their
     * read marker and their reply, the marker moves over the reply ({@code markers}: outside the undiscussables, which
     * keep none). Otherwise it stays, and the thread stays unread for them for what they have not seen. The thread's
     * shown number (V7) is cleared: the new post is its last post members see (a held post is left to the trigger).
     */
    private Uni<Created> insertReply(SqlConnection conn, Viewer viewer, long threadId, int number, Long parent,
            Long[] parentPath, String source, String html, String pseudonym, boolean held, byte[] key, boolean markers) {
        boolean anonymous = pseudonym != null;
        // Anonymous posts store the hour, not the moment; the thread's activity moves by the hour too. Their ids come
        // from the anonymous space. The path is the post numbers down the tree (conversation order), not ids.
        String now = anonymous ? "date_trunc('hour', now())" : "now()";
        return db.one(conn, """
                with n as (select coalesce($11::bigint, nextval(pg_get_serial_sequence('post', 'id'))) as id),
                ins as (
                    insert into post (id, thread_id, number, reply_to_id, path, author_id, pseudonym, source, html, created_at, held)
                    overriding system value
                    select n.id, $1, $2, $3, $4::bigint[] || $2::int::bigint, $5, $6, $7, $8, %1$s, $9 from n
                    returning id, number
                ),
                upd as (update thread set post_count = $2, last_posted_at = greatest(last_posted_at, %1$s),
                               last_shown_number = case when $9 then last_shown_number end
                        where id = $1),
                idem as (
                    insert into idempotency_key (key_hash, thread_id, post_id) select $10::bytea, $1, n.id from n
                    where $10::bytea is not null
                ),
                trk as (
                    insert into follow (member_id, thread_id, level, reason) select $5::bigint, $1, 'tracking', 'replied'
                    where $5::bigint is not null
                    on conflict (member_id, thread_id) where thread_id is not null do nothing
                ),
                rd as (
                    insert into thread_read (member_id, thread_id, last_read_number)
                    select $5::bigint, $1, $2 where $5::bigint is not null and $12 and not exists (
                        select 1 from post q
                        where q.thread_id = $1 and q.number < $2 and %2$s
                          and q.number > coalesce((select r.last_read_number from thread_read r
                                                   where r.member_id = $5::bigint and r.thread_id = $1), 0))
                    on conflict (member_id, thread_id) do update
                    set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number)
                )
                select id, number from ins
                """.formatted(now, countsAsNew("q", "$5::bigint")), Tuple.from(Arrays.asList(threadId, number, parent, parentPath,
                anonymous ? null : viewer.id(), pseudonym, source, html, held,
                key == null ? null : io.vertx.core.buffer.Buffer.buffer(key), anonymous ? AnonymousIds.next() : null,
                markers)),
                row -> new Created(threadId, row.getLong("id"), row.getInteger("number"), anonymous));
    }

    /** Edits the viewer's own post; a stale version is refused and nothing is overwritten. */
    public Uni<PostSource> edit(Viewer viewer, long postId, String rawBody, int version) {
        Guardian.requireCanWrite(viewer);
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        return render(body, Audience.post(postId)).flatMap(rendered -> db.inTransaction(conn -> lockOwnPost(conn, viewer, postId)
                .flatMap(post -> {
                    int current = post.getInteger("version");
                    if (current != version) {
                        throw DomainException.conflict("This post was changed since you opened it (you edited version "
                                + version + ", it is now at version " + current
                                + "). Nothing was saved: reload it, apply your change again and save.");
                    }
                    return revise(conn, viewer, post, body, rendered, null, false);
                }))).flatMap(x -> source(viewer, postId));
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
                    return render(conn, body, Audience.post(postId)).flatMap(rendered -> revise(conn, moderator, post, body, rendered, reason, true));
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
        Viewer actor = anonymous || (byModerator && UNDISCUSSABLES.equals(post.getString("kind"))) ? null : editor;
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

    /** Soft-deletes the viewer's own post; the tree keeps a "deleted" placeholder. */
    public Uni<Void> delete(Viewer viewer, long postId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> lockOwnPost(conn, viewer, postId).flatMap(post -> db.execute(conn, """
                with t as (update thread set accepted_post_id = null where accepted_post_id = $1)
                update post set deleted_at = case when pseudonym is null then now() else date_trunc('hour', now()) end
                where id = $1
                """, Tuple.of(postId)))).replaceWithVoid();
    }

    /**
     * The author withdraws their thread (named, or anonymous by recomputing the pseudonym): its title and posts leave
     * every list, count, digest and notification, as a facilitator's deletion does; its facilitators still see it,
     * marked "withdrawn by its author". An anonymous thread's withdrawal stores the hour, not the moment. Returns the
     * slug of the thread's channel (where the author goes next). Refuses: a thread the viewer may not see, or already
     * removed (404); someone else's thread (403).
     */
    public Uni<String> withdraw(Viewer viewer, long threadId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> db.one(conn, """
                select t.id, t.author_id, t.author_pseudonym, c.slug
                from thread t join channel c on c.id = t.channel_id
                where t.id = #{thread} and %s and %s
                for update of t
                """.formatted(visibleThread("t"), visibleChannel("c")), Guardian.binds(viewer).and("thread", threadId),
                row -> row).flatMap(thread -> {
                    Guardian.ensureFound(thread, "The thread");
                    Guardian.ensureAuthor(wrote(viewer, thread.getLong("author_id"), thread.getString("author_pseudonym"), threadId),
                            "Only the person who started a thread can withdraw it.");
                    return db.execute(conn, """
                            update thread set withdrawn = true,
                                   deleted_at = case when author_pseudonym is null then now() else date_trunc('hour', now()) end
                            where id = $1
                            """, Tuple.of(threadId)).replaceWith(thread.getString("slug"));
                }));
    }

    /** The post, locked, when the viewer wrote it: by member id, or for an anonymous post by recomputing the pseudonym. */
    private Uni<Row> lockOwnPost(SqlConnection conn, Viewer viewer, long postId) {
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

    private boolean wrote(Viewer viewer, Long authorId, String pseudonym, long threadId) {
        return Guardian.isAuthor(viewer, authorId, pseudonym, () -> pseudonyms.of(viewer.id(), threadId));
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
                    if (wrote(viewer, post.getLong("author_id"), post.getString("pseudonym"), threadId)) {
                        throw DomainException.conflict("You cannot react to your own post.");
                    }
                    boolean byPseudonym = UNDISCUSSABLES.equals(post.getString("kind"));
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

    /** The thread's author marks one reply as the answer (or, with postId null, none); anonymous askers too. */
    public Uni<Void> accept(Viewer viewer, long threadId, Long postId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> db.one(conn, """
                select t.id, t.author_id, t.author_pseudonym, t.accepted_post_id, p.id as post_id, p.number, p.deleted_at,
                       p.author_id as post_author
                from thread t join channel c on c.id = t.channel_id
                left join post p on p.id = #{post} and p.thread_id = t.id and not p.held
                where t.id = #{thread} and %s and %s
                for update of t
                """.formatted(visibleThread("t"), visibleChannel("c")),
                Guardian.binds(viewer).and("thread", threadId).and("post", postId == null ? -1L : postId), row -> row)
                .flatMap(thread -> {
                    Guardian.ensureFound(thread, "The thread");
                    Guardian.ensureAuthor(wrote(viewer, thread.getLong("author_id"), thread.getString("author_pseudonym"), threadId),
                            "Only the person who asked can mark the answer.");
                    if (postId != null && (thread.getLong("post_id") == null || thread.getOffsetDateTime("deleted_at") != null)) {
                        throw DomainException.invalid(Map.of("postId", "That post is not a reply in this thread."));
                    }
                    if (postId != null && thread.getInteger("number") == 1) {
                        throw DomainException.invalid(Map.of("postId", "The question itself cannot be its answer: pick a reply."));
                    }
                    Uni<?> update = db.execute(conn, "update thread set accepted_post_id = $2 where id = $1",
                            Tuple.of(threadId, postId));
                    Long answerAuthor = thread.getLong("post_author");
                    if (postId == null || postId.equals(thread.getLong("accepted_post_id"))) {
                        return update.replaceWithVoid();
                    }
                    Viewer actor = thread.getLong("author_id") == null ? null : viewer;
                    return update.flatMap(x -> notifications.answerAccepted(conn, actor, viewer.id(), threadId, postId, answerAuthor));
                }));
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

    // ---------------------------------------------------------------- anonymity

    static final String UNDISCUSSABLES = "undiscussables";


    /** Whether this post is anonymous: the channel's default unless asked otherwise, and only where allowed. */
    private boolean anonymousPost(Row channel, Boolean asked) {
        boolean undiscussables = UNDISCUSSABLES.equals(channel.getString("kind"));
        boolean anonymous = asked == null ? undiscussables : asked;
        if (anonymous && !undiscussables) {
            throw DomainException.conflict("Anonymous posting is only possible in the undiscussables; "
                    + "this channel shows your name. Nothing was posted.");
        }
        long audience = channel.getLong("audience");
        if (anonymous && audience < anonymity.minAudience()) {
            throw DomainException.conflict("Anonymous posting needs an audience of at least " + anonymity.minAudience()
                    + " members to keep you anonymous; this channel has " + audience + " (counting those who used "
                    + "Roundtable in the last " + anonymity.crowdActiveDays() + " days and have read it for "
                    + anonymity.crowdSeatedHours() + " hours). Nothing was posted.");
        }
        return anonymous;
    }

    private String viewerPseudonym(Viewer viewer, long threadId) {
        return viewer.isGuest() ? "" : pseudonyms.of(viewer.id(), threadId);
    }

    // ---------------------------------------------------------------- helpers

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
    private Uni<RenderedPost> render(String body) {
        return render(null, body, null);
    }

    /** {@link #render(SqlConnection, String, Audience)} on the pool. */
    private Uni<RenderedPost> render(String body, Audience audience) {
        return render(null, body, audience);
    }

    /**
     * The same, on the caller's connection (null: the pool). With an {@code audience}, a mention links (and notifies)
     * only a member who may see where the text is posted; a member who may not stays plain text, and is named in
     * {@link RenderedPost#unseen()} for the preview to say so (one query for all of them).
     */
    private Uni<RenderedPost> render(SqlConnection conn, String body, Audience audience) {
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

    private Uni<Created> replayed(byte[] key) {
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return db.one("""
                select i.thread_id, i.post_id, p.number, p.pseudonym is not null as anonymous
                from idempotency_key i join post p on p.id = i.post_id where key_hash = $1
                """, Tuple.of(io.vertx.core.buffer.Buffer.buffer(key)),
                row -> new Created(row.getLong("thread_id"), row.getLong("post_id"), row.getInteger("number"),
                        row.getBoolean("anonymous")));
    }

    private Uni<Created> remember(SqlConnection conn, byte[] key, Created created) {
        if (key == null) {
            return Uni.createFrom().item(created);
        }
        return db.execute(conn, "insert into idempotency_key (key_hash, thread_id, post_id) values ($1, $2, $3)",
                Tuple.of(io.vertx.core.buffer.Buffer.buffer(key), created.threadId(), created.postId()))
                .replaceWith(created);
    }

    private static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && pg.getErrorMessage() != null && pg.getErrorMessage().contains("idempotency_key");
    }

    /** sha256(member id ‖ key): the key itself is never stored, so the row names nobody. */
    private static byte[] keyHash(Viewer viewer, UUID key) {
        if (key == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((viewer.id() + ":" + key).getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
