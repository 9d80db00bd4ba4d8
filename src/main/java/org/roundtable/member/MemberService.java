package org.roundtable.member;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import org.roundtable.db.Database;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/**
 * Members come from Keycloak: created on first login, kept in step on later logins. The row is written only
 * when the token says something new, so that nothing of a member's is rewritten on every request.
 */
@ApplicationScoped
public class MemberService {

    private static final int CACHE_SIZE = 10_000;
    /** How long a member's row is trusted without reading it again (a suspension elsewhere shows within this). */
    private static final long CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    // Upsert when something changed; otherwise read the row as it is. Cohorts linked to a Keycloak group follow the
    // token's groups claim ($9; null when the token has none): joined when the group is there, left when it is not.
    // Facilitators appointed in Roundtable stay; archived cohorts are left alone. One statement either way.
    private static final String SYNC = """
            with up as (
                insert into member (subject, username, name, email, roles, title, school, district, picture)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $10)
                on conflict (subject) do update set
                    username = excluded.username, name = excluded.name, email = excluded.email,
                    roles = excluded.roles,
                    title = coalesce(excluded.title, member.title),
                    school = coalesce(excluded.school, member.school),
                    district = coalesce(excluded.district, member.district),
                    picture = excluded.picture,
                    updated_at = now()
                where (member.username, member.name, member.email, member.roles, member.picture)
                      is distinct from (excluded.username, excluded.name, excluded.email, excluded.roles, excluded.picture)
                returning id, username, name, email, roles, suspended_until, suspension_reason
            ),
            me as (
                select * from up
                union all
                select id, username, name, email, roles, suspended_until, suspension_reason
                from member where subject = $1 and not exists (select 1 from up)
            ),
            joined as (
                insert into cohort_member (cohort_id, member_id, role)
                select co.id, me.id, 'member' from cohort co, me
                where $9::text[] is not null and co.keycloak_group = any($9::text[]) and co.archived_at is null
                on conflict do nothing
            ),
            left_ as (
                delete from cohort_member cm using cohort co, me
                where $9::text[] is not null and cm.member_id = me.id and co.id = cm.cohort_id
                  and co.keycloak_group is not null and co.archived_at is null and cm.role = 'member'
                  and not (co.keycloak_group = any($9::text[]))
            )
            select me.*, (select p.time_zone from member_preference p where p.member_id = me.id) as time_zone from me
            """;

    private final Database db;
    // Per instance and short-lived by design: per subject, what its last synced token said; a token that says
    // something else (other claims, other groups) syncs again. Entries expire, so that what changed in the database
    // (a suspension, a cohort linked to a group on another instance) reaches every instance within CACHE_NANOS.
    private final Map<String, Cached> bySubject = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    private record Cached(String claims, Viewer viewer, long at) {
    }

    private final MemberActivity activity;
    private final MemberRepository repository;
    private final MemberConfig config;

    public MemberService(Database db, MemberActivity activity, MemberRepository repository, MemberConfig config) {
        this.config = config;
        this.db = db;
        this.activity = activity;
        this.repository = repository;
    }

    public Uni<Viewer> sync(MemberClaims claims) {
        String key = claims.cacheKey();
        Cached cached = bySubject.get(claims.subject());
        if (cached != null && cached.claims().equals(key) && System.nanoTime() - cached.at() < CACHE_NANOS) {
            activity.seen(cached.viewer().id());
            return Uni.createFrom().item(cached.viewer());
        }
        Tuple params = Tuple.tuple(Arrays.asList(claims.subject(), claims.username(), claims.name(), claims.email(),
                claims.roles().toArray(String[]::new), claims.title(), claims.school(), claims.district(),
                claims.groups() == null ? null : claims.groups().toArray(String[]::new),
                config.acceptedPicture(claims.picture())));
        return db.execute(SYNC, params)
                .map(rows -> toViewer(rows.iterator().next()))
                .invoke(viewer -> bySubject.put(claims.subject(), new Cached(key, viewer, System.nanoTime())))
                .invoke(viewer -> activity.seen(viewer.id()));
    }

    /** Forget what is cached for a member (after a suspension, say), so the next request reads the row. */
    public void forget(long memberId) {
        synchronized (bySubject) {
            bySubject.values().removeIf(c -> c.viewer().id() == memberId);
        }
    }

    /**
     * Forget every cached member, so that each next request syncs its token again: after a cohort is linked to a
     * Keycloak group (or unlinked), memberships must follow the groups of tokens already seen.
     */
    public void forgetAll() {
        bySubject.clear();
    }

    static Viewer toViewer(Row row) {
        return new Viewer(row.getLong("id"), row.getString("username"), row.getString("name"),
                row.getString("email"), Set.of(row.getArrayOfStrings("roles")),
                row.getOffsetDateTime("suspended_until"), row.getString("suspension_reason"), zone(row.getString("time_zone")));
    }

    /** The time zone of a member's preferences (pages show times in it); UTC when none is chosen or it is unknown. */
    static java.time.ZoneId zone(String name) {
        try {
            return name == null ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(name);
        } catch (java.time.DateTimeException e) {
            return java.time.ZoneOffset.UTC;
        }
    }

    /** A member by id; null when there is none (Hibernate Reactive: an administrative read). */
    @WithSession
    public Uni<Profile> profile(long id) {
        return repository.findById(id).map(Profile::of);
    }

    /** A member by username (any case); null when there is none. */
    @WithSession
    public Uni<Profile> profile(String username) {
        return repository.byUsername(username).map(Profile::of);
    }

    /**
     * A thread a member started, as their profile lists it. {@code removal}: null, or (listed for the channel's
     * moderators only) why it is removed: "hidden", "deleted" or "withdrawn".
     */
    public record RecentThread(long id, String title, String channelSlug, String channelName, int replyCount,
            boolean solved, OffsetDateTime createdAt, String removal) {
    }

    /**
     * The threads a member started under their name, newest first, in channels the viewer may see (anonymous threads
     * store no member, so they never appear here). Removed threads only for the moderators of their channel, marked.
     */
    public Uni<java.util.List<RecentThread>> recentThreads(Viewer viewer, long memberId, int limit) {
        return db.list("""
                select t.id, t.title, c.slug, c.name, t.post_count, t.accepted_post_id, t.created_at, %s as removal
                from thread t join channel c on c.id = t.channel_id
                where t.author_id = #{member} and %s and %s
                order by t.created_at desc, t.id desc
                limit #{limit}
                """.formatted(Guardian.threadRemoval("t"), Guardian.visibleThread("t", "c"), Guardian.visibleChannel("c")),
                Guardian.binds(viewer).and("member", memberId).and("limit", limit),
                row -> new RecentThread(row.getLong("id"), row.getString("title"), row.getString("slug"),
                        row.getString("name"), Math.max(row.getInteger("post_count") - 1, 0),
                        row.getLong("accepted_post_id") != null, row.getOffsetDateTime("created_at"),
                        row.getString("removal")));
    }

    /** A member as the directory lists them: no email address, nothing of their cohorts. */
    public record Listed(String username, String name, String title, String school, String district, String picture) {

        /** {@code {m.face}}: the member's face beside their name: their picture, or their initials (web/Face). */
        public org.roundtable.web.Face face() {
            return org.roundtable.web.Face.of(username, name).withPicture(picture);
        }
    }

    /** The member directory: every member, or those whose name, username, job title, school or district match the query. */
    @WithSession
    public Uni<java.util.List<Listed>> directory(String query, int limit) {
        return repository.directory(query == null ? "" : query.strip(), limit).map(found -> found.stream()
                .map(m -> new Listed(m.username, m.name, m.title, m.school, m.district, m.picture)).toList());
    }

    /**
     * A member as their profile starts from. {@code suspended}, {@code suspendedUntil} (null: until lifted) and
     * {@code suspensionReason} are their current suspension: only admins are shown them (MemberPage).
     */
    public record Profile(long id, String username, String name, String email, String title, String school,
            String district, OffsetDateTime memberSince, boolean suspended, OffsetDateTime suspendedUntil,
            String suspensionReason, String picture) {
        /** The profile of a member row; null for null. */
        static Profile of(Member m) {
            return m == null ? null : new Profile(m.id, m.username, m.name, m.email, m.title, m.school, m.district,
                    m.createdAt, m.suspended, m.suspendedUntil, m.suspensionReason, m.picture);
        }
    }
}
