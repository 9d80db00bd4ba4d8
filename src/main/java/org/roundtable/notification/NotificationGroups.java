package org.roundtable.notification;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.roundtable.anonymity.Pseudonyms;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.web.Face;

/**
 * The notifications page's list (issue 19): grouped and paged by keyset.
 * <ul>
 * <li><b>Grouping</b>: the replies to the member's posts in one thread are one item with their number ("3 replies to
 * your posts in …"), and so are the new posts of one watched thread; read and unread ones apart. Every other kind is
 * an item of its own (a mention, an accepted answer, a new thread, a facilitator's act).</li>
 * <li><b>Pages</b>: newest first, by the newest notification of each item; the next page starts after the last item
 * shown ({@link Cursor}: its time and id), so a notification that arrives between two pages neither repeats an item
 * nor skips one.</li>
 * </ul>
 * One statement a page, with the same visibility and delivery rules as the list of {@link NotificationService}: what
 * an anonymous act causes is delivered at its hour's end and shows as anyone else's, grouped by the same rule. The
 * statement reads what the page shows, not the member's whole list ({@link #PAGE}).
 */
@ApplicationScoped
public class NotificationGroups {

    /** Kinds grouped per thread: several of them in one thread are one item. */
    static final List<String> GROUPED = List.of("reply", "new_post");

    /** Where a page starts: after the item whose newest notification has this time and id. */
    public record Cursor(OffsetDateTime at, long id) {

        /** The cursor as a link carries it: microseconds since the epoch, then the id ({@code 1764493200123456_42}). */
        public String token() {
            return ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant()) + "_" + id;
        }

        /** The cursor of a link; null for none, or for a value that is not one (the first page then). */
        public static Cursor parse(String token) {
            if (token == null || !token.matches("-?\\d{1,18}_\\d{1,19}")) {
                return null;
            }
            String[] parts = token.split("_");
            try {
                return new Cursor(OffsetDateTime.ofInstant(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS),
                        ZoneOffset.UTC), Long.parseLong(parts[1]));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * One item of the page: the newest notification of its group, how many the group holds, the oldest of them
     * (where opening the item leads: the first of the replies), and the face of who did it (the neutral mark for an
     * anonymous post; null for a facilitator's act, which names nobody).
     */
    public record Item(NotificationService.Notification latest, int count, long oldestId, Face face) {

        public boolean grouped() {
            return count > 1;
        }

        /** The sentence of a group: "3 replies to your posts", "4 new posts in a thread you watch"; else the one's. */
        public String action() {
            return switch (latest.kind()) {
                case "reply" -> count + " replies to your posts";
                case "new_post" -> count + " new posts in a thread you watch";
                default -> latest.action();
            };
        }

        /** Where opening the item goes: the oldest of the group, marking the whole group read. */
        public String openLink() {
            return grouped() ? "/notifications/" + oldestId + "/open?group=true" : "/notifications/" + latest.id() + "/open";
        }

        public Cursor cursor() {
            return new Cursor(latest.createdAt(), latest.id());
        }
    }

    /** A page of items, and the cursor of the next page (null on the last). */
    public record Page(List<Item> items, Cursor next) {
    }

    /**
     * SQL: the notification {@code g} is of the group of the notification {@code n} (read and unread ones apart), both
     * delivered and with their post visible as {@link NotificationService#VISIBLE_NOTIFICATION} says. A group is of one
     * thread, so the thread part of that rule, true for {@code n}, is true for {@code g}. Only grouped kinds have
     * others in their group; the literal kinds let the planner use the group index (V24, notification_group_idx).
     */
    private static final String IN_GROUP_OF_N = """
            g.member_id = n.member_id and g.kind in (%s) and g.kind = n.kind and g.thread_id = n.thread_id
            and (g.read_at is null) = (n.read_at is null) and %s and %s"""
            .formatted(String.join(", ", GROUPED.stream().map(kind -> "'" + kind + "'").toList()),
                    NotificationService.delivered("g"), NotificationService.visiblePost("g", "gp"));

    /**
     * The page: the items' newest notifications ("heads": no newer one of their group is visible), walked newest first
     * from the cursor and stopping at the limit, then each group's count and oldest from the group index. What it reads
     * is the member's notifications from the cursor to the last item of the page, and the groups it shows; never the
     * member's whole list.
     */
    private static final String PAGE = """
            with heads as (
                select n.id, n.member_id, n.kind, n.thread_id, t.title, n.post_id, p.number, p.pseudonym, n.actor_id,
                       n.detail, n.created_at, n.read_at, n.reason
                from notification n
                left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
                left join post p on p.id = n.post_id
                where n.member_id = #{viewer} and %1$s and %2$s
                  and n.created_at <= coalesce(#{at}::timestamptz, 'infinity') -- where the index starts reading
                  and (#{at}::timestamptz is null or (n.created_at, n.id) < (#{at}::timestamptz, #{id}::bigint))
                  and not exists (select 1 from notification g left join post gp on gp.id = g.post_id
                                  where %3$s and (g.created_at, g.id) > (n.created_at, n.id))
                order by n.created_at desc, n.id desc
                limit #{limit}
            )
            select n.*, coalesce(grp.in_group, 1) as in_group, coalesce(grp.oldest_id, n.id) as oldest_id,
                   a.name as actor_name, a.username as actor_username
            from heads n
            left join lateral (
                select count(*) as in_group, (array_agg(g.id order by g.created_at, g.id))[1] as oldest_id
                from notification g left join post gp on gp.id = g.post_id
                where %3$s
                having count(*) > 0
            ) grp on true
            left join member a on a.id = n.actor_id
            order by n.created_at desc, n.id desc
            """.formatted(NotificationService.DELIVERED, NotificationService.VISIBLE_NOTIFICATION, IN_GROUP_OF_N);

    private final Database db;

    public NotificationGroups(Database db) {
        this.db = db;
    }

    /** Up to {@code size} items after {@code after} (null: the newest), and the cursor of the next page. */
    public Uni<Page> page(Viewer viewer, Cursor after, int size) {
        return db.list(PAGE, Guardian.binds(viewer).and("at", after == null ? null : after.at())
                .and("id", after == null ? null : after.id()).and("limit", size + 1), row -> {
                    String pseudonym = row.getString("pseudonym");
                    // the member's own anonymous post is listed as anyone else's (NotificationService.recent says why)
                    String actor = pseudonym != null ? Pseudonyms.handle(pseudonym) : row.getString("actor_name");
                    var latest = new NotificationService.Notification(row.getLong("id"), row.getString("kind"),
                            row.getLong("thread_id"), row.getString("title"), row.getLong("post_id"), row.getInteger("number"),
                            actor, row.getString("detail"), row.getOffsetDateTime("created_at"),
                            row.getOffsetDateTime("read_at") != null, row.getString("reason"));
                    // an anonymous post gets the neutral mark, never anything of the member behind it (web/Face)
                    Face face = "moderation".equals(latest.kind()) ? null
                            : pseudonym != null ? Face.NEUTRAL : Face.of(row.getString("actor_username"), row.getString("actor_name"));
                    return new Item(latest, row.getLong("in_group").intValue(), row.getLong("oldest_id"), face);
                }).map(items -> items.size() > size
                        ? new Page(items.subList(0, size), items.get(size - 1).cursor())
                        : new Page(items, null));
    }

    /**
     * Opens a group from its oldest notification: marks read every delivered notification of the viewer of the same
     * kind in the same thread, and gives where the oldest leads; null when the viewer has no such notification.
     */
    public Uni<String> openGroup(Viewer viewer, long oldestId) {
        return db.one("""
                with o as (
                    select n.id, n.kind, n.thread_id, n.post_id from notification n
                    where n.member_id = $1 and n.id = $2 and %1$s
                ), marked as (
                    update notification n set read_at = coalesce(n.read_at, now()) from o
                    where n.member_id = $1 and %1$s and (n.id = o.id
                          or (o.kind = any($3) and n.kind = o.kind and n.thread_id = o.thread_id and n.read_at is null))
                    returning n.id
                )
                select o.thread_id, o.post_id, (select count(*) from marked) as marked from o
                """.formatted(NotificationService.DELIVERED), Tuple.of(viewer.id(), oldestId, GROUPED.toArray(String[]::new)),
                row -> new NotificationService.Notification(oldestId, "", row.getLong("thread_id"), null,
                        row.getLong("post_id"), null, null, null, null, true, null).link());
    }
}
