package org.roundtable.insight;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An insight page as its template needs it: the figures, their charts (each with the table of its values beside it),
 * and the address its CSV downloads start with.
 *
 * @param csvBase e.g. "/cohorts/leaders-2026/insights/" (a series' file is csvBase + name + ".csv")
 */
public record InsightView(Insights insights, List<BarChart> charts, String csvBase) {

    /** The chart ids, which are also the names of their CSV series. */
    static final List<String> CHART_SERIES = List.of("new-threads", "replies", "reactions", "active-members",
            "median-first-reply", "solved-share");

    static InsightView of(Insights insights, java.time.Instant now, String csvBase) {
        List<Weeks.Week> weeks = Weeks.endingAt(now).weeks();
        List<BarChart> charts = new ArrayList<>();
        charts.add(BarChart.of("new-threads", "New threads", "threads", weeks,
                values(insights, w -> (double) w.newThreads()), InsightView::count));
        charts.add(BarChart.of("replies", "Replies", "posts", weeks, values(insights, w -> (double) w.replies()),
                InsightView::count));
        charts.add(BarChart.of("reactions", "Reactions", "reactions", weeks,
                values(insights, w -> (double) w.reactions()), InsightView::count));
        charts.add(BarChart.of("active-members", "Members active", "members who posted, replied or reacted under their name",
                weeks, values(insights, w -> (double) w.activeMembers()), InsightView::count));
        charts.add(BarChart.of("median-first-reply", "Median time to a first reply", "hours", weeks,
                values(insights, w -> w.medianFirstReplySeconds() == null ? null : w.medianFirstReplySeconds() / 3600.0),
                InsightView::hours));
        charts.add(BarChart.of("solved-share", "Share of questions solved", "percent of the week's questions", weeks,
                values(insights, w -> w.solvedShare() == null ? null : w.solvedShare() * 100), InsightView::percent));
        return new InsightView(insights, List.copyOf(charts), csvBase);
    }

    public java.time.LocalDate fromDate() {
        return insights.from().toLocalDate();
    }

    public java.time.LocalDate untilDate() {
        return insights.until().toLocalDate();
    }

    public boolean network() {
        return "network".equals(insights.scope());
    }

    /** The weeks' labels, oldest first (the channel table's columns). */
    public List<String> weekLabels() {
        return insights.weeks().stream().map(w -> new Weeks.Week(w.index(), w.start(), w.end(), w.current()).label())
                .toList();
    }

    private static List<Double> values(Insights insights, java.util.function.Function<Insights.WeekFigures, Double> f) {
        return insights.weeks().stream().map(f).toList();
    }

    static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String hours(double v) {
        return String.format(Locale.ROOT, "%.1f h", v);
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.0f %%", v);
    }
}
