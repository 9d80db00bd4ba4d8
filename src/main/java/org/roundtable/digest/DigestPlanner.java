package org.roundtable.digest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestConfig.Frequency;

/**
 * Digest planning: who is due when. One statement inserts a pending {@code digest} row per member whose send time (in
 * their zone, {@code digest_due_at} of migration V3) has come, keyed (member, period): a period is planned once, however
 * many instances plan at once (docs/architecture.md, "Digests", step 1).
 */
@ApplicationScoped
public class DigestPlanner {

    private final Database db;

    public DigestPlanner(Database db) {
        this.db = db;
    }

    // A member's period is due when its latest send time (in their zone) is after their last planned period, or — for
    // a member never planned — after they joined or last changed their preferences. The first digest looks back one
    // period; later ones start where the previous one ended, so windows neither overlap nor leave gaps.
    private static final String PLAN = """
            insert into digest (member_id, period_key, frequency, due_at, since)
            select x.member_id, x.frequency || ':' || to_char(x.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'),
                   x.frequency, x.due_at,
                   coalesce(x.last_due, x.due_at - case x.frequency when 'daily' then interval '1 day' else interval '7 days' end)
            from (
                select m.id as member_id, f.frequency,
                       digest_due_at(f.frequency, coalesce(p.digest_hour, $3), coalesce(p.digest_weekday, $4),
                                     coalesce(p.time_zone, 'UTC'), $1) as due_at,
                       (select max(d.due_at) from digest d where d.member_id = m.id) as last_due,
                       coalesce(p.updated_at, m.created_at) as start
                from member m
                left join member_preference p on p.member_id = m.id
                cross join lateral (select coalesce(p.digest_frequency, $2) as frequency) f
                where f.frequency in ('daily', 'weekly') and m.email is not null
            ) x
            where x.due_at > coalesce(x.last_due, x.start)
            on conflict (member_id, period_key) do nothing
            """;

    /** Plans the periods due at {@code now}; {@code networkDefault} applies to members who never chose. */
    public Uni<Integer> plan(Instant now, Frequency networkDefault) {
        return db.execute(PLAN, Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), networkDefault.name(),
                PreferenceService.DEFAULT_HOUR, PreferenceService.DEFAULT_WEEKDAY)).map(rows -> rows.rowCount());
    }
}
