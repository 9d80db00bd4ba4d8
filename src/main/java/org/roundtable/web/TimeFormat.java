package org.roundtable.web;

import io.quarkus.qute.TemplateExtension;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Times as pages show them: {@code <time datetime="{t.iso}">{t.readable}</time>} (the tag {@code timestamp} does
 * this). Readable text is in UTC until members have a time zone of their own.
 */
@TemplateExtension
public final class TimeFormat {

    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH);

    private TimeFormat() {
    }

    /** ISO 8601 in UTC, to the second: the machine-readable datetime attribute. */
    static String iso(OffsetDateTime time) {
        return time == null ? "" : time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String readable(OffsetDateTime time) {
        return time == null ? "" : READABLE.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
