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
import org.roundtable.db.Database;
import org.roundtable.notification.NotificationService;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.thread.markdown.MarkdownRenderer;
import org.roundtable.thread.markdown.RenderedPost;
import org.roundtable.web.DomainException;

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

    public ThreadService(Database db, MarkdownRenderer markdown, NotificationService notifications) {
        this.db = db;
        this.markdown = markdown;
        this.notifications = notifications;
    }

    public record Created(long threadId, long postId, int number) {
    }

    // ---------------------------------------------------------------- reading

    private static final String THREAD_HEAD = """
            select t.id, t.title, t.tags, t.locked_at, t.accepted_post_id, t.post_count, t.author_id, t.created_at,
                   c.id as channel_id, c.slug, c.name as channel_name, c.kind,
                   coalesce(tr.last_read_number, 0) as last_read
            from thread t
            join channel c on c.id = t.channel_id
            left join thread_read tr on tr.thread_id = t.id and tr.member_id = $2
            where t.id = $1 and %s and %s
            """.formatted(visibleThread("t"), visibleChannel("c", 2, 3));

    // One statement for the opening post, the accepted answer and one page of whole top-level branches, with authors,
    // the author replied to, and reaction counts: no query per post, whatever the thread's size.
    private static final String THREAD_POSTS = """
            with branch as (
                select root, (coalesce(sum(n) over (order by root rows between unbounded preceding and 1 preceding), 0) / $3)::int as page
                from (select path[1] as root, count(*) as n from post
                      where thread_id = $1 and number > 1 and not held group by path[1]) x
            )
            select p.id, p.number, p.reply_to_id, cardinality(p.path) as depth, p.author_id, p.pseudonym,
                   p.html, p.created_at, p.edited_at, p.version, p.deleted_at, p.hidden_at,
                   m.username, m.name, rp.number as reply_to_number, rm.name as reply_to_name, rp.pseudonym as reply_to_pseudonym,
                   coalesce(b.page, -1) as page, (select coalesce(max(page), 0) + 1 from branch) as page_count,
                   (select json_object_agg(k.kind, k.n) from (select r.kind, count(*) as n from reaction r
                        where r.post_id = p.id group by r.kind) k) as reactions,
                   (select array_agg(r.kind) from reaction r where r.post_id = p.id and r.member_id = $2) as my_reactions
            from post p
            left join branch b on b.root = p.path[1]
            left join member m on m.id = p.author_id
            left join post rp on rp.id = p.reply_to_id
            left join member rm on rm.id = rp.author_id
            where p.thread_id = $1 and not p.held and (p.number = 1 or b.page = $4 or p.id = $5)
            order by p.number <> 1, p.path
            """;

    private static final String MARK_READ = """
            insert into thread_read (member_id, thread_id, last_read_number) values ($1, $2, $3)
            on conflict (member_id, thread_id) do update
            set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number)
            where thread_read.last_read_number < excluded.last_read_number
            """;

    /** A thread page; null when the thread does not exist or the viewer may not see it (the same 404). */
    public Uni<ThreadDetail> thread(Viewer viewer, long threadId, int page, boolean markRead) {
        return db.one(THREAD_HEAD, Tuple.of(threadId, viewer.id(), viewer.isAdmin()), row -> row)
                .flatMap(head -> head == null ? Uni.createFrom().nullItem() : posts(viewer, head, Math.max(page, 0), markRead));
    }

    private Uni<ThreadDetail> posts(Viewer viewer, Row head, int page, boolean markRead) {
        long threadId = head.getLong("id");
        Long acceptedId = head.getLong("accepted_post_id");
        int lastRead = head.getInteger("last_read");
        int postCount = head.getInteger("post_count");
        Tuple params = Tuple.of(threadId, viewer.id(), PAGE_SIZE, page, acceptedId == null ? -1L : acceptedId);
        return db.list(THREAD_POSTS, params, row -> row).flatMap(rows -> {
            PostView opening = null;
            PostView accepted = null;
            List<PostView> replies = new ArrayList<>();
            int pageCount = 1;
            for (Row row : rows) {
                PostView post = toPost(viewer, row, acceptedId, lastRead);
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
                            head.getString("channel_name"), head.getString("kind")),
                    opening == null ? Author.DELETED : opening.author(), List.of(head.getArrayOfStrings("tags")),
                    head.getOffsetDateTime("locked_at") != null, acceptedId, head.getOffsetDateTime("created_at"),
                    opening, accepted, replies, page, pageCount, Math.max(postCount - 1, 0), lastRead,
                    authorId != null && authorId == viewer.id());
            if (!markRead || viewer.isGuest() || postCount <= lastRead) {
                return Uni.createFrom().item(detail);
            }
            return db.execute(MARK_READ, Tuple.of(viewer.id(), threadId, postCount)).replaceWith(detail);
        });
    }

    private static PostView toPost(Viewer viewer, Row row, Long acceptedId, int lastRead) {
        boolean deleted = row.getOffsetDateTime("deleted_at") != null;
        Author author = Author.of(row, "author_id", "username", "name", row.getString("pseudonym"));
        Long authorId = row.getLong("author_id");
        boolean mine = authorId != null && authorId == viewer.id();
        String replyToAuthor = row.getString("reply_to_pseudonym") != null ? row.getString("reply_to_pseudonym")
                : row.getString("reply_to_name");
        JsonObject counts = row.getJsonObject("reactions");
        String[] myKinds = row.getArrayOfStrings("my_reactions");
        Set<String> my = myKinds == null ? Set.of() : Set.of(myKinds);
        List<PostView.ReactionCount> reactions = new ArrayList<>();
        Reactions.KINDS.forEach((kind, label) -> {
            int n = counts == null ? 0 : counts.getInteger(kind, 0);
            reactions.add(new PostView.ReactionCount(kind, label, n, my.contains(kind)));
        });
        int number = row.getInteger("number");
        return new PostView(row.getLong("id"), number, row.getLong("reply_to_id"), row.getInteger("reply_to_number"),
                replyToAuthor, deleted ? Author.DELETED : author, deleted ? "" : row.getString("html"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("edited_at"), row.getInteger("version"), deleted,
                row.getInteger("depth"), reactions, mine, acceptedId != null && acceptedId == row.getLong("id"),
                lastRead > 0 && number > lastRead);
    }

    private static final String ONE_POST = """
            select p.id, p.number, p.reply_to_id, cardinality(p.path) as depth, p.author_id, p.pseudonym,
                   p.html, p.created_at, p.edited_at, p.version, p.deleted_at, p.hidden_at, t.accepted_post_id,
                   m.username, m.name, rp.number as reply_to_number, rm.name as reply_to_name, rp.pseudonym as reply_to_pseudonym,
                   (select json_object_agg(k.kind, k.n) from (select r.kind, count(*) as n from reaction r
                        where r.post_id = p.id group by r.kind) k) as reactions,
                   (select array_agg(r.kind) from reaction r where r.post_id = p.id and r.member_id = $2) as my_reactions
            from post p
            join thread t on t.id = p.thread_id
            join channel c on c.id = t.channel_id
            left join member m on m.id = p.author_id
            left join post rp on rp.id = p.reply_to_id
            left join member rm on rm.id = rp.author_id
            where p.id = $1 and not p.held and %s and %s
            """.formatted(visibleThread("t"), visibleChannel("c", 2, 3));

    /** One post as the thread page shows it; null when it does not exist or is not visible to the viewer. */
    public Uni<PostView> post(Viewer viewer, long postId) {
        return db.one(ONE_POST, Tuple.of(postId, viewer.id(), viewer.isAdmin()),
                row -> toPost(viewer, row, row.getLong("accepted_post_id"), 0));
    }

    /** The markdown source of a post, for editing and quoting; null when not visible. */
    public Uni<PostSource> source(Viewer viewer, long postId) {
        String sql = """
                select p.id, p.thread_id, p.number, p.source, p.version, p.author_id, p.pseudonym, p.deleted_at, m.name
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                left join member m on m.id = p.author_id
                where p.id = $1 and not p.held and %s and %s
                """.formatted(visibleThread("t"), visibleChannel("c", 2, 3));
        return db.one(sql, Tuple.of(postId, viewer.id(), viewer.isAdmin()), row -> new PostSource(row.getLong("id"),
                row.getLong("thread_id"), row.getInteger("number"), row.getString("source"), row.getInteger("version"),
                row.getLong("author_id") != null && row.getLong("author_id") == viewer.id(),
                row.getOffsetDateTime("deleted_at") != null,
                row.getString("pseudonym") != null ? row.getString("pseudonym") : row.getString("name")));
    }

    /**
     * The page (0-based) of the thread page that shows a post: the page of its top-level branch, counted as
     * {@link #THREAD_POSTS} counts them; 0 for the opening post or a post not in the tree. Pages use it to send the
     * writer back to what they just wrote.
     */
    public Uni<Integer> pageOf(long threadId, long postId) {
        return db.one("""
                with branch as (
                    select root, (coalesce(sum(n) over (order by root rows between unbounded preceding and 1 preceding), 0) / $3)::int as page
                    from (select path[1] as root, count(*) as n from post
                          where thread_id = $1 and number > 1 and not held group by path[1]) x
                )
                select b.page from post p join branch b on b.root = p.path[1] where p.id = $2 and p.thread_id = $1
                """, Tuple.of(threadId, postId, PAGE_SIZE), row -> row.getInteger("page"))
                .map(page -> page == null ? 0 : page);
    }

    public record PostSource(long id, long threadId, int number, String source, int version, boolean mine,
            boolean deleted, String authorLabel) {
    }

    public record Revision(int version, String html, String source, String editor, OffsetDateTime createdAt) {
    }

    /** Every earlier text of a post, newest first; null when the post is not visible. */
    public Uni<List<Revision>> revisions(Viewer viewer, long postId) {
        return source(viewer, postId).flatMap(post -> {
            if (post == null || post.deleted()) {
                return Uni.createFrom().nullItem();
            }
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

    /** Starts a thread in a channel the viewer may see. The same idempotency key makes one thread. */
    public Uni<Created> createThread(Viewer viewer, String channelSlug, String rawTitle, String rawBody, List<String> tags,
            UUID idempotencyKey) {
        Guardian.requireCanWrite(viewer);
        String title = PostRules.clean(rawTitle);
        String body = PostRules.clean(rawBody);
        List<String> cleanTags = PostRules.normalizeTags(tags);
        PostRules.checkThread(title, body, cleanTags);
        byte[] key = keyHash(viewer, idempotencyKey);
        return replayed(key).flatMap(existing -> existing != null ? Uni.createFrom().item(existing)
                : render(body).flatMap(rendered -> db.inTransaction(conn -> db.one(conn, """
                        select c.id, c.kind from channel c where c.slug = $1 and %s
                        """.formatted(visibleChannel("c", 2, 3)), Tuple.of(channelSlug, viewer.id(), viewer.isAdmin()), row -> row)
                        .flatMap(channel -> {
                            if (channel == null) {
                                throw DomainException.notFound("The channel \"" + channelSlug + "\"");
                            }
                            refuseAnonymousChannel(channel.getString("kind"));
                            return insertThread(conn, viewer, channel.getLong("id"), title.strip(), cleanTags, body, rendered.html());
                        })
                        .flatMap(created -> remember(conn, key, created))
                        .flatMap(created -> notifications.mentioned(conn, viewer, created.threadId(), created.postId(),
                                rendered.mentions()).replaceWith(created)))
                        .onFailure(ThreadService::isDuplicateKey).recoverWithUni(() -> replayed(key))));
    }

    private Uni<Created> insertThread(SqlConnection conn, Viewer viewer, long channelId, String title, List<String> tags,
            String source, String html) {
        return db.one(conn, """
                with t as (
                    insert into thread (channel_id, title, author_id, tags, post_count)
                    values ($1, $2, $3, $4, 1) returning id
                )
                insert into post (thread_id, number, path, author_id, source, html)
                select t.id, 1, '{}', $3, $5, $6 from t
                returning thread_id, id
                """, Tuple.from(Arrays.asList(channelId, title, viewer.id(), tags.toArray(String[]::new), source, html)),
                row -> new Created(row.getLong("thread_id"), row.getLong("id"), 1));
    }

    /** Replies to the thread (replyTo null) or to one of its posts. */
    public Uni<Created> reply(Viewer viewer, long threadId, Long replyTo, String rawBody, UUID idempotencyKey) {
        Guardian.requireCanWrite(viewer);
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        byte[] key = keyHash(viewer, idempotencyKey);
        return replayed(key).flatMap(existing -> existing != null ? Uni.createFrom().item(existing)
                : render(body).flatMap(rendered -> db.inTransaction(conn -> db.one(conn, """
                        select t.id, t.post_count, t.locked_at, t.closed_at, c.kind,
                               rp.id as parent_id, rp.path as parent_path, rp.number as parent_number,
                               rp.deleted_at as parent_deleted, rp.author_id as parent_author
                        from thread t join channel c on c.id = t.channel_id
                        left join post rp on rp.id = $4 and rp.thread_id = t.id and not rp.held
                        where t.id = $1 and %s and %s
                        for update of t
                        """.formatted(visibleThread("t"), visibleChannel("c", 2, 3)),
                        Tuple.of(threadId, viewer.id(), viewer.isAdmin(), replyTo == null ? -1L : replyTo), row -> row)
                        .flatMap(thread -> {
                            if (thread == null) {
                                throw DomainException.notFound("The thread");
                            }
                            if (thread.getOffsetDateTime("locked_at") != null || thread.getOffsetDateTime("closed_at") != null) {
                                throw DomainException.conflict("This thread is locked: it takes no new replies.");
                            }
                            refuseAnonymousChannel(thread.getString("kind"));
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
                            return insertReply(conn, viewer, threadId, number, parent, parentPath, body, rendered.html())
                                    .flatMap(created -> remember(conn, key, created))
                                    .flatMap(created -> notifications.replied(conn, viewer, threadId, created.postId(), parentAuthor)
                                            .flatMap(x -> notifications.mentioned(conn, viewer, threadId, created.postId(),
                                                    rendered.mentions()))
                                            .replaceWith(created));
                        }))
                        .onFailure(ThreadService::isDuplicateKey).recoverWithUni(() -> replayed(key))));
    }

    private Uni<Created> insertReply(SqlConnection conn, Viewer viewer, long threadId, int number, Long parent,
            Long[] parentPath, String source, String html) {
        return db.one(conn, """
                with n as (select nextval(pg_get_serial_sequence('post', 'id')) as id),
                ins as (
                    insert into post (id, thread_id, number, reply_to_id, path, author_id, source, html)
                    overriding system value
                    select n.id, $1, $2, $3, $4::bigint[] || n.id, $5, $6, $7 from n
                    returning id, number
                ),
                upd as (update thread set post_count = $2, last_posted_at = now() where id = $1)
                select id, number from ins
                """, Tuple.from(Arrays.asList(threadId, number, parent, parentPath, viewer.id(), source, html)),
                row -> new Created(threadId, row.getLong("id"), row.getInteger("number")));
    }

    /** Edits the viewer's own post; a stale version is refused and nothing is overwritten. */
    public Uni<PostSource> edit(Viewer viewer, long postId, String rawBody, int version) {
        Guardian.requireCanWrite(viewer);
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        return render(body).flatMap(rendered -> db.inTransaction(conn -> lockOwnPost(conn, viewer, postId)
                .flatMap(post -> {
                    int current = post.getInteger("version");
                    if (current != version) {
                        throw DomainException.conflict("This post was changed since you opened it (you edited version "
                                + version + ", it is now at version " + current
                                + "). Nothing was saved: reload it, apply your change again and save.");
                    }
                    return db.execute(conn, """
                            with rev as (
                                insert into post_revision (post_id, version, source, html, editor_id, created_at)
                                select id, version, source, html, author_id, coalesce(edited_at, created_at) from post where id = $1
                            )
                            update post set source = $2, html = $3, version = version + 1, edited_at = now()
                            where id = $1 and version = $4
                            """, Tuple.of(postId, body, rendered.html(), version))
                            .flatMap(x -> notifications.mentioned(conn, viewer, post.getLong("thread_id"), postId,
                                    rendered.mentions()));
                }))).flatMap(x -> source(viewer, postId));
    }

    /** Soft-deletes the viewer's own post; the tree keeps a "deleted" placeholder. */
    public Uni<Void> delete(Viewer viewer, long postId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> lockOwnPost(conn, viewer, postId).flatMap(post -> db.execute(conn, """
                with t as (update thread set accepted_post_id = null where accepted_post_id = $1)
                update post set deleted_at = now() where id = $1
                """, Tuple.of(postId)))).replaceWithVoid();
    }

    private Uni<Row> lockOwnPost(SqlConnection conn, Viewer viewer, long postId) {
        return db.one(conn, """
                select p.id, p.thread_id, p.version, p.author_id, p.deleted_at
                from post p join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                where p.id = $1 and not p.held and %s and %s
                for update of p
                """.formatted(visibleThread("t"), visibleChannel("c", 2, 3)),
                Tuple.of(postId, viewer.id(), viewer.isAdmin()), row -> row).map(post -> {
                    if (post == null || post.getOffsetDateTime("deleted_at") != null) {
                        throw DomainException.notFound("The post");
                    }
                    Long author = post.getLong("author_id");
                    if (author == null || author != viewer.id()) {
                        throw DomainException.forbidden("Only the author of a post can edit or delete it.");
                    }
                    return post;
                });
    }

    /** Adds (on=true) or removes a reaction of the viewer's; one of each kind per member per post. */
    public Uni<List<PostView.ReactionCount>> react(Viewer viewer, long postId, String kind, boolean on) {
        Guardian.requireCanWrite(viewer);
        Reactions.check(kind);
        return db.inTransaction(conn -> db.one(conn, """
                select p.id, p.author_id, p.deleted_at from post p
                join thread t on t.id = p.thread_id join channel c on c.id = t.channel_id
                where p.id = $1 and not p.held and %s and %s
                """.formatted(visibleThread("t"), visibleChannel("c", 2, 3)),
                Tuple.of(postId, viewer.id(), viewer.isAdmin()), row -> row).flatMap(post -> {
                    if (post == null || post.getOffsetDateTime("deleted_at") != null) {
                        throw DomainException.notFound("The post");
                    }
                    Long author = post.getLong("author_id");
                    if (author != null && author == viewer.id()) {
                        throw DomainException.conflict("You cannot react to your own post.");
                    }
                    String sql = on
                            ? "insert into reaction (post_id, kind, member_id) values ($1, $2, $3) on conflict do nothing"
                            : "delete from reaction where post_id = $1 and kind = $2 and member_id = $3";
                    return db.execute(conn, sql, Tuple.of(postId, kind, viewer.id()));
                })
                .flatMap(x -> db.list(conn, """
                        select k.kind, count(r.kind) as n, bool_or(r.member_id = $2) as mine
                        from unnest($3::text[]) as k(kind)
                        left join reaction r on r.post_id = $1 and r.kind = k.kind
                        group by k.kind
                        """, Tuple.of(postId, viewer.id(), Reactions.KINDS.keySet().toArray(String[]::new)),
                        row -> new PostView.ReactionCount(row.getString("kind"), Reactions.KINDS.get(row.getString("kind")),
                                row.getInteger("n"), Boolean.TRUE.equals(row.getBoolean("mine")))))
                .map(counts -> counts.stream().sorted(java.util.Comparator.comparing(
                        c -> new ArrayList<>(Reactions.KINDS.keySet()).indexOf(c.kind()))).toList()));
    }

    /** The thread's author marks one reply as the answer (or, with postId null, none). */
    public Uni<Void> accept(Viewer viewer, long threadId, Long postId) {
        Guardian.requireCanWrite(viewer);
        return db.inTransaction(conn -> db.one(conn, """
                select t.id, t.author_id, t.accepted_post_id, p.id as post_id, p.number, p.deleted_at, p.author_id as post_author
                from thread t join channel c on c.id = t.channel_id
                left join post p on p.id = $4 and p.thread_id = t.id and not p.held
                where t.id = $1 and %s and %s
                for update of t
                """.formatted(visibleThread("t"), visibleChannel("c", 2, 3)),
                Tuple.of(threadId, viewer.id(), viewer.isAdmin(), postId == null ? -1L : postId), row -> row)
                .flatMap(thread -> {
                    if (thread == null) {
                        throw DomainException.notFound("The thread");
                    }
                    Long author = thread.getLong("author_id");
                    if (author == null || author != viewer.id()) {
                        throw DomainException.forbidden("Only the person who asked can mark the answer.");
                    }
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
                    return update.flatMap(x -> notifications.answerAccepted(conn, viewer, threadId, postId, answerAuthor));
                }));
    }

    public Uni<String> preview(String rawBody) {
        String body = PostRules.clean(rawBody);
        PostRules.checkBody(body);
        return render(body).map(RenderedPost::html);
    }

    // ---------------------------------------------------------------- helpers

    /** Markdown is rendered once, on write; mentions link only to members who exist (one query for all of them). */
    private Uni<RenderedPost> render(String body) {
        Set<String> candidates = new HashSet<>();
        markdown.render(body, name -> candidates.add(name) && false);
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(markdown.render(body, name -> false));
        }
        return db.list("select lower(username) as u from member where lower(username) = any($1)",
                Tuple.of(candidates.toArray(String[]::new)), row -> row.getString("u"))
                .map(known -> markdown.render(body, new HashSet<>(known)::contains));
    }

    // Until the undiscussables' anonymity lands (its own issue), nobody may post there under their name.
    private static void refuseAnonymousChannel(String kind) {
        if ("undiscussables".equals(kind)) {
            throw DomainException.conflict("Anonymous posting in the undiscussables is not open yet; nothing was posted.");
        }
    }

    private Uni<Created> replayed(byte[] key) {
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return db.one("select i.thread_id, i.post_id, p.number from idempotency_key i join post p on p.id = i.post_id where key_hash = $1",
                Tuple.of(io.vertx.core.buffer.Buffer.buffer(key)),
                row -> new Created(row.getLong("thread_id"), row.getLong("post_id"), row.getInteger("number")));
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
