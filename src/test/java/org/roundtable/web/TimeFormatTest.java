package org.roundtable.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Times as pages show them: the words for a time seen at a given moment (no clock involved), and the attribute. */
class TimeFormatTest {

    static final Instant NOW = Instant.parse("2026-11-30T14:05:30Z");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static String seen(String then) {
        return TimeFormat.relative(Instant.parse(then), NOW, PARIS);
    }

    @Test
    void shouldSayHowLongAgoInWholeUnitsRoundedDown() {
        assertThat(seen("2026-11-30T14:05:00Z")).isEqualTo("just now");
        assertThat(seen("2026-11-30T14:04:30Z")).isEqualTo("1 minute ago");
        assertThat(seen("2026-11-30T13:06:00Z")).isEqualTo("59 minutes ago");
        assertThat(seen("2026-11-30T12:05:29Z")).isEqualTo("2 hours ago");
        assertThat(seen("2026-11-29T14:05:30Z")).isEqualTo("yesterday");
        assertThat(seen("2026-11-27T10:00:00Z")).isEqualTo("3 days ago");
    }

    @Test
    void shouldSayWhenInTheFutureAndGiveTheDateInTheMembersZoneBeyondAWeek() {
        assertThat(seen("2026-11-30T16:05:30Z")).isEqualTo("in 2 hours");
        assertThat(seen("2026-12-01T15:00:00Z")).isEqualTo("tomorrow");
        // 23:30 UTC on the 12th is already the 13th in Paris
        assertThat(seen("2026-11-12T23:30:00Z")).isEqualTo("13 Nov 2026");
        assertThat(seen("2027-01-05T09:00:00Z")).isEqualTo("5 Jan 2027");
    }

    @Test
    void shouldWriteTheDatetimeAttributeInUtcToTheSecondAndTheTitleInTheZone() {
        OffsetDateTime t = OffsetDateTime.parse("2026-11-30T15:05:30.123456+01:00");
        assertThat(TimeFormat.iso(t)).isEqualTo("2026-11-30T14:05:30Z");
        // Whole minutes keep their seconds (OffsetDateTime.toString() would write "14:05Z").
        assertThat(TimeFormat.iso(OffsetDateTime.parse("2026-11-30T15:05:00.000001+01:00"))).isEqualTo("2026-11-30T14:05:00Z");
        assertThat(TimeFormat.iso(OffsetDateTime.parse("2026-11-30T15:05+01:00"))).isEqualTo("2026-11-30T14:05:00Z");
        assertThat(TimeFormat.local(t, PARIS)).isEqualTo("Mon 30 Nov 2026, 15:05 (CET)");
        assertThat(TimeFormat.local(t, null)).isEqualTo("Mon 30 Nov 2026, 14:05 (UTC)");
        assertThat(TimeFormat.local(t, ZoneOffset.UTC)).isEqualTo("Mon 30 Nov 2026, 14:05 (UTC)");
    }
}
