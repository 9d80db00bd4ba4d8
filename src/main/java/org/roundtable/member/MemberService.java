package org.roundtable.member;

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

    private record Cached(Viewer viewer, long loadedAt) {
        boolean fresh() {
            return System.nanoTime() - loadedAt < CACHE_NANOS;
        }
    }

    // Upsert when something changed; otherwise read the row as it is. One statement either way.
    private static final String SYNC = """
            with up as (
                insert into member (subject, username, name, email, roles, title, school, district)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                on conflict (subject) do update set
                    username = excluded.username, name = excluded.name, email = excluded.email,
                    roles = excluded.roles,
                    title = coalesce(excluded.title, member.title),
                    school = coalesce(excluded.school, member.school),
                    district = coalesce(excluded.district, member.district),
                    updated_at = now()
                where (member.username, member.name, member.email, member.roles)
                      is distinct from (excluded.username, excluded.name, excluded.email, excluded.roles)
                returning id, username, name, email, roles, suspended_until, suspension_reason
            )
            select * from up
            union all
            select id, username, name, email, roles, suspended_until, suspension_reason
            from member where subject = $1 and not exists (select 1 from up)
            """;

    private final Database db;
    // Per instance and short-lived by design: keyed by the token, so a new token re-reads the row.
    private final Map<String, Cached> byToken = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    public MemberService(Database db) {
        this.db = db;
    }

    public Uni<Viewer> sync(MemberClaims claims) {
        String key = claims.cacheKey();
        Cached cached = byToken.get(key);
        if (cached != null && cached.fresh()) {
            return Uni.createFrom().item(cached.viewer());
        }
        Tuple params = Tuple.tuple(Arrays.asList(claims.subject(), claims.username(), claims.name(), claims.email(),
                claims.roles().toArray(String[]::new), claims.title(), claims.school(), claims.district()));
        return db.execute(SYNC, params)
                .map(rows -> toViewer(rows.iterator().next()))
                .invoke(viewer -> byToken.put(key, new Cached(viewer, System.nanoTime())));
    }

    /** Forget what is cached for a member (after a suspension, say), so the next request reads the row. */
    public void forget(long memberId) {
        synchronized (byToken) {
            byToken.values().removeIf(c -> c.viewer().id() == memberId);
        }
    }

    static Viewer toViewer(Row row) {
        return new Viewer(row.getLong("id"), row.getString("username"), row.getString("name"),
                row.getString("email"), Set.of(row.getArrayOfStrings("roles")),
                row.getOffsetDateTime("suspended_until"), row.getString("suspension_reason"));
    }

    public Uni<Profile> profile(long id) {
        return db.execute("select id, username, name, email, title, school, district, created_at from member where id = $1",
                Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? null : Profile.of(rows.iterator().next()));
    }

    /** A member by username (any case); null when there is none. */
    public Uni<Profile> profile(String username) {
        return db.one("select id, username, name, email, title, school, district, created_at from member where lower(username) = lower($1)",
                Tuple.of(username), Profile::of);
    }

    /** A thread a member started, as their profile lists it. */
    public record RecentThread(long id, String title, String channelSlug, String channelName, int replyCount,
            boolean solved, OffsetDateTime createdAt) {
    }

    /**
     * The threads a member started under their name, newest first, in channels the viewer may see (anonymous threads
     * store no member, so they never appear here).
     */
    public Uni<java.util.List<RecentThread>> recentThreads(Viewer viewer, long memberId, int limit) {
        return db.list("""
                select t.id, t.title, c.slug, c.name, t.post_count, t.accepted_post_id, t.created_at
                from thread t join channel c on c.id = t.channel_id
                where t.author_id = $1 and %s and %s
                order by t.created_at desc, t.id desc
                limit $4
                """.formatted(Guardian.visibleThread("t"), Guardian.visibleChannel("c", 2, 3)),
                Tuple.of(memberId, viewer.id(), viewer.isAdmin(), limit),
                row -> new RecentThread(row.getLong("id"), row.getString("title"), row.getString("slug"),
                        row.getString("name"), Math.max(row.getInteger("post_count") - 1, 0),
                        row.getLong("accepted_post_id") != null, row.getOffsetDateTime("created_at")));
    }

    public record Profile(long id, String username, String name, String email, String title, String school,
            String district, OffsetDateTime memberSince) {
        static Profile of(Row row) {
            return new Profile(row.getLong("id"), row.getString("username"), row.getString("name"),
                    row.getString("email"), row.getString("title"), row.getString("school"),
                    row.getString("district"), row.getOffsetDateTime("created_at"));
        }
    }
}
