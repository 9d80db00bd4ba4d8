package org.roundtable.insight;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The weeks of an insight page. A week is an ISO week in UTC: it starts on Monday at 00:00 UTC and ends at the next
 * Monday's 00:00 UTC (exclusive). A page shows the 12 whole weeks before the week of {@code now}, then that week so far
 * ({@code [its Monday, now)}): 13 buckets, index 0 the oldest, 12 the current one. The week is the same for every
 * viewer and instance, whatever their time zone, and starts at a whole hour, so anonymous posts (stored by the hour)
 * fall in the bucket of the moment they were written.
 *
 * @param start the first Monday, 00:00 UTC (the window starts here)
 * @param now the end of the window (exclusive): what the page calls "now"
 * @param weeks the 13 buckets, oldest first
 */
public record Weeks(Instant start, Instant now, List<Week> weeks) {

    /** Whole weeks before the current one. */
    public static final int FULL_WEEKS = 12;
    public static final int BUCKETS = FULL_WEEKS + 1;
    public static final long SECONDS_PER_WEEK = 7L * 24 * 3600;

    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    /**
     * One bucket.
     *
     * @param index 0 (the oldest) to 12 (the current week)
     * @param start its Monday (UTC)
     * @param end the next Monday (exclusive)
     * @param current whether it is the week of now, counted so far
     */
    public record Week(int index, LocalDate start, LocalDate end, boolean current) {

        /** "16 Nov", or "16 Nov (so far)" for the current week. */
        public String label() {
            return start.format(SHORT) + (current ? " (so far)" : "");
        }

        /** The last day of the week, "22 Nov". */
        public String lastDay() {
            return end.minusDays(1).format(SHORT);
        }
    }

    /** The buckets of a page asked at {@code now}. */
    public static Weeks endingAt(Instant now) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate first = monday.minusWeeks(FULL_WEEKS);
        List<Week> weeks = new ArrayList<>(BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            LocalDate s = first.plusWeeks(i);
            weeks.add(new Week(i, s, s.plusWeeks(1), i == FULL_WEEKS));
        }
        return new Weeks(first.atStartOfDay().toInstant(ZoneOffset.UTC), now, List.copyOf(weeks));
    }

    public OffsetDateTime startUtc() {
        return start.atOffset(ZoneOffset.UTC);
    }

    public OffsetDateTime nowUtc() {
        return now.atOffset(ZoneOffset.UTC);
    }

    /** The day of now, in UTC (members' last visits are days). */
    public LocalDate today() {
        return now.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** SQL: the bucket (0..12) of a time column, with the window's start as parameter {@code startParam}. */
    static String bucket(String column, int startParam) {
        return "floor(extract(epoch from (" + column + " - $" + startParam + "::timestamptz)) / " + SECONDS_PER_WEEK + ")::int";
    }
}
