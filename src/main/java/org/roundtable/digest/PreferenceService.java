package org.roundtable.digest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestConfig.Frequency;
import org.roundtable.member.MemberService;
import org.roundtable.security.Viewer;
import org.roundtable.problem.DomainException;

/** A member's mail preferences: digest frequency, when to send it in their time zone, mention mails. */
@ApplicationScoped
public class PreferenceService {

    public static final int DEFAULT_HOUR = 7;
    public static final int DEFAULT_WEEKDAY = 1;

    private final Database db;
    private final DigestConfig config;
    private final MemberService members;

    public PreferenceService(Database db, DigestConfig config, MemberService members) {
        this.db = db;
        this.config = config;
        this.members = members;
    }

    /**
     * {@code frequency} null means "the network default" ({@code networkDefault}), which follows the configuration:
     * members who never chose get whatever the network default is today.
     */
    public record Preferences(Frequency frequency, int hour, int weekday, String timeZone, boolean emailOnMention,
            Frequency networkDefault) {

        public Frequency effectiveFrequency() {
            return frequency == null ? networkDefault : frequency;
        }

        public boolean usesNetworkDefault() {
            return frequency == null;
        }
    }

    public Uni<Preferences> get(Viewer viewer) {
        return get(viewer.id());
    }

    public Uni<Preferences> get(long memberId) {
        return db.one("select digest_frequency, digest_hour, digest_weekday, time_zone, email_on_mention from member_preference where member_id = $1",
                Tuple.of(memberId), row -> new Preferences(Frequency.parse(row.getString("digest_frequency")),
                        row.getInteger("digest_hour"), row.getInteger("digest_weekday"), row.getString("time_zone"),
                        row.getBoolean("email_on_mention"), config.defaultFrequency()))
                .map(p -> p != null ? p
                        : new Preferences(null, DEFAULT_HOUR, DEFAULT_WEEKDAY, "UTC", true, config.defaultFrequency()));
    }

    /**
     * Saves the viewer's choices; {@code frequency} null keeps them on the network default. Choosing which mails one
     * gets is not writing: a suspended member can do it too (only a guest is refused).
     */
    public Uni<Preferences> save(Viewer viewer, Frequency frequency, int hour, int weekday, String timeZone,
            boolean emailOnMention) {
        if (viewer.isGuest()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (hour < 0 || hour > 23) {
            errors.put("hour", "Choose an hour from 0 to 23.");
        }
        if (weekday < 1 || weekday > 7) {
            errors.put("weekday", "Choose a day of the week.");
        }
        String zone = timeZone == null ? "" : timeZone.strip();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            errors.put("timeZone", "\"" + zone + "\" is not a time zone we know: pick one from the list (e.g. America/Chicago).");
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        // PostgreSQL computes send times in the zone, so it must know it too.
        return db.one("""
                insert into member_preference (member_id, digest_frequency, digest_hour, digest_weekday, time_zone, email_on_mention, updated_at)
                select $1, $2, $3, $4, $5, $6, now() where exists (select 1 from pg_timezone_names where name = $5)
                on conflict (member_id) do update set digest_frequency = excluded.digest_frequency,
                    digest_hour = excluded.digest_hour, digest_weekday = excluded.digest_weekday,
                    time_zone = excluded.time_zone, email_on_mention = excluded.email_on_mention, updated_at = now()
                returning member_id
                """, Tuple.from(Arrays.asList(viewer.id(), frequency == null ? null : frequency.name(), hour, weekday, zone,
                emailOnMention)), row -> row.getLong("member_id"))
                .flatMap(saved -> {
                    if (saved == null) {
                        throw DomainException.invalid(Map.of("timeZone", "\"" + zone + "\" is not a time zone the database knows."));
                    }
                    // pages show times in the member's zone, which the viewer carries: read the row again at once
                    members.forget(viewer.id());
                    return get(viewer);
                });
    }

    /** The one-click unsubscribe from mention mails: they are off, the rest kept (for a member who never saved too). */
    public Uni<Void> turnMentionMailsOff(long memberId) {
        return db.execute("""
                insert into member_preference (member_id, email_on_mention) values ($1, false)
                on conflict (member_id) do update set email_on_mention = false, updated_at = now()
                """, Tuple.of(memberId)).replaceWithVoid();
    }

    /** The one-click unsubscribe: digests off, the rest kept. Works for a member who never saved preferences too. */
    public Uni<Void> turnDigestsOff(long memberId) {
        return db.execute("""
                insert into member_preference (member_id, digest_frequency) values ($1, 'off')
                on conflict (member_id) do update set digest_frequency = 'off', updated_at = now()
                """, Tuple.of(memberId)).replaceWithVoid();
    }
}
