package org.roundtable.web;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Times as pages show them: relative to now ("2 hours ago", "in 3 days"; a date beyond a week), with the absolute time
 * in the member's own time zone (their preferences; UTC when they chose none) in the title, and a {@code datetime}
 * attribute in UTC to the second (valid HTML: at most milliseconds). The tag {@code {#timestamp t zone=viewer.zone /}}
 * writes the element; the thread page's kept post cards get theirs per request ({@link #element}). Now is the
 * application's {@link Clock} bean.
 */
@TemplateExtension
public final class TimeFormat {

    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm (zzz)", Locale.ENGLISH);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static volatile Clock clock;

    private TimeFormat() {
    }

    /**
     * ISO 8601 in UTC, to the second ("2026-11-30T07:42:03Z"): the machine-readable datetime attribute (HTML allows at
     * most three digits of a second's fraction; PostgreSQL's times carry six). Empty for null.
     */
    public static String iso(OffsetDateTime time) {
        // A formatter, not toString(): toString() leaves the seconds out when they are zero (one time in sixty).
        return time == null ? "" : ISO_SECONDS.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    private static final java.time.format.DateTimeFormatter ISO_SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", java.util.Locale.ROOT);

    static String readable(OffsetDateTime time) {
        return time == null ? "" : READABLE.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** The absolute time in a zone (UTC when null): "Mon 30 Nov 2026, 14:05 (CET)". */
    static String local(OffsetDateTime time, ZoneId zone) {
        // the offset Z would print as "Z": the region UTC prints as "UTC"
        ZoneId z = zone == null || zone.equals(ZoneOffset.UTC) ? UTC : zone;
        return time == null ? "" : LOCAL.format(time.atZoneSameInstant(z));
    }

    /** The time relative to now, by the application's clock; a date (in the zone) beyond a week. */
    static String ago(OffsetDateTime time, ZoneId zone) {
        return time == null ? "" : relative(time.toInstant(), now(), zone == null ? ZoneOffset.UTC : zone);
    }

    /**
     * The words for {@code then} seen at {@code now}: "just now", "5 minutes ago", "yesterday", "3 days ago", "in 2
     * hours"; beyond seven days either way the date in the zone ("12 Nov 2026"). Counts are rounded down.
     */
    public static String relative(Instant then, Instant now, ZoneId zone) {
        Duration d = Duration.between(then, now);
        boolean future = d.isNegative();
        long seconds = Math.abs(d.getSeconds());
        if (seconds < 60) {
            return "just now";
        }
        String amount;
        if (seconds < 3600) {
            amount = count(seconds / 60, "minute");
        } else if (seconds < 86_400) {
            amount = count(seconds / 3600, "hour");
        } else if (seconds < 7 * 86_400) {
            long days = seconds / 86_400;
            if (days == 1) {
                return future ? "tomorrow" : "yesterday";
            }
            amount = count(days, "day");
        } else {
            return DATE.format(then.atZone(zone));
        }
        return future ? "in " + amount : amount + " ago";
    }

    /** The whole element, for HTML put together outside Qute (the thread page's kept post cards). */
    public static String element(OffsetDateTime time, ZoneId zone) {
        if (time == null) {
            return "";
        }
        // none of these texts can hold a character HTML would read (digits, letters, commas, colons, brackets)
        return "<time datetime=\"" + iso(time) + "\" title=\"" + local(time, zone) + "\">" + ago(time, zone) + "</time>";
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static Instant now() {
        Clock c = clock;
        if (c == null) {
            c = Arc.container() == null ? Clock.systemUTC() : Arc.container().instance(Clock.class).get();
            clock = c;
        }
        return c.instant();
    }
}
