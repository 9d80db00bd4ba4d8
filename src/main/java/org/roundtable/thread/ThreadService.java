package org.roundtable.thread;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.ReadOnly;
import org.roundtable.security.Viewer;

/**
 * Reading threads and posts: a thread page in a fixed number of statements, one post, its source and revisions, where
 * a post or the first unread one is. The writes are the thread feature's other classes, one per action:
 * {@link PostCreator} (new threads and replies), {@link PostRevisor} (edits), {@link PostDestroyer} (deletions),
 * {@link Reactions}, {@link AcceptedAnswers}; {@link PostRenderer} renders what they store and previews it.
 */
@ApplicationScoped
public class ThreadService {

    /** Replies nest visually to this depth; deeper ones are shown flat with "in reply to". */
    public static final int MAX_INDENT = 4;
    /** Posts per thread page (whole top-level branches, so a page may hold more). */
    public static final int PAGE_SIZE = 50;
    public static final int CHANNEL_PAGE_SIZE = 30;

    private final Database db;
    private final Pseudonyms pseudonyms;
    private final AnonymityConfig anonymity;
    private final String threadHead;

    public ThreadService(Database db, Pseudonyms pseudonyms, AnonymityConfig anonymity) {
        this.db = db;
        this.pseudonyms = pseudonyms;
        this.anonymity = anonymity;
        String audience = Guardian.audience(anonymity.crowdActiveDays(), anonymity.crowdSeatedHours());
        this.threadHead = THREAD_HEAD.formatted(audience, Guardian.moderates("c"), Guardian.threadRemoval("t"),
                Guardian.silenced("c"), Guardian.silencedUntil("c"), visibleThread("t", "c"), visibleChannel("c"));
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
    private static final String THREAD_POSTS = ("""
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
                   """ + Reactions.COUNTS + """
                    as reaction_counts,
                   (select array_agg(r.kind) from reaction r where r.post_id = p.id
                        and (r.member_id = $2 or r.pseudonym = $7)) as my_reactions
            from post p
            left join branch b on b.root = p.path[1]
            left join member m on m.id = p.author_id
            left join post rp on rp.id = p.reply_to_id
            left join member rm on rm.id = rp.author_id
            where p.thread_id = $1 and (not p.held or $6 or p.pseudonym = $7) and (p.number = 1 or b.page = $4 or p.id = $5)
            order by p.number <> 1, p.path
            """).formatted(countsAsNew("q", "$2"));

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
     * moves the writer's marker over them (see {@link PostCreator}).
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
        Integer[] counts = row.getArrayOfIntegers("reaction_counts");
        String[] myKinds = row.getArrayOfStrings("my_reactions");
        Set<String> my = myKinds == null ? Set.of() : Set.of(myKinds);
        List<PostView.ReactionCount> reactions = new ArrayList<>(Reactions.KINDS.size());
        int i = 0;
        for (Map.Entry<String, String> kind : Reactions.KINDS.entrySet()) {
            int n = counts == null || counts[i] == null ? 0 : counts[i];
            reactions.add(new PostView.ReactionCount(kind.getKey(), kind.getValue(), n, my.contains(kind.getKey())));
            i++;
        }
        int number = row.getInteger("number");
        Long acceptedId = context.acceptedId();
        return new PostView(row.getLong("id"), number, row.getLong("reply_to_id"), row.getInteger("reply_to_number"),
                replyToAuthor, author, showText ? row.getString("html") : "",
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("edited_at"), row.getInteger("version"), deleted,
                row.getInteger("depth"), reactions, mine, acceptedId != null && acceptedId.equals(row.getLong("id")),
                isNew, opener && !deleted, hidden, held);
    }

    private static final String ONE_POST = ("""
            select p.id, p.thread_id, p.number, p.reply_to_id, cardinality(p.path) as depth, p.author_id, p.pseudonym,
                   p.html, p.source, p.created_at, p.edited_at, p.version, p.deleted_at, p.hidden_at, p.held,
                   t.accepted_post_id, t.author_id as opener_id, t.author_pseudonym as opener_pseudonym, c.kind,
                   %s as moderator,
                   m.username, m.name, rp.number as reply_to_number, rm.name as reply_to_name, rp.pseudonym as reply_to_pseudonym,
                   """ + Reactions.COUNTS + """
                    as reaction_counts,
                   (select array_agg(r.kind) from reaction r where r.post_id = p.id
                        and (r.member_id = #{viewer} or r.pseudonym = #{pseudonym})) as my_reactions
            from post p
            join thread t on t.id = p.thread_id
            join channel c on c.id = t.channel_id
            left join member m on m.id = p.author_id
            left join post rp on rp.id = p.reply_to_id
            left join member rm on rm.id = rp.author_id
            where p.id = #{post} and %s and %s
            """).formatted(Guardian.moderates("c"), visibleThread("t", "c"), visibleChannel("c"));

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

    // ---------------------------------------------------------------- anonymity

    static final String UNDISCUSSABLES = "undiscussables";

    private String viewerPseudonym(Viewer viewer, long threadId) {
        return viewer.isGuest() ? "" : pseudonyms.of(viewer.id(), threadId);
    }

}
