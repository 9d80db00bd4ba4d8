package org.roundtable.insight;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The CSV downloads of an insight page: one file per series (RFC 4180, comma-separated, CRLF, UTF-8). A text field
 * that a spreadsheet would take for a formula (a title starting with =, +, - or @) is written with a leading
 * apostrophe, so that opening the file runs nothing a member wrote.
 */
final class InsightCsv {

    private InsightCsv() {
    }

    /** The series a scope offers, by file name (without ".csv"). */
    static List<String> series(Insights insights) {
        List<String> names = new ArrayList<>(List.of("weekly"));
        names.addAll(InsightView.CHART_SERIES);
        names.addAll(List.of("channels", "busiest-channels", "top-tags", "unanswered", "inactive"));
        if ("network".equals(insights.scope())) {
            names.add("cohorts");
        }
        return names;
    }

    /** The file of one series, or null when the scope has no such series. */
    static String render(Insights insights, String series) {
        if (!series(insights).contains(series)) {
            return null;
        }
        List<List<Object>> rows = new ArrayList<>();
        switch (series) {
            case "weekly" -> {
                rows.add(List.of("week_start", "week_end", "so_far", "new_threads", "replies", "reactions",
                        "active_members", "questions", "answered", "solved", "solved_share", "median_first_reply_hours"));
                for (Insights.WeekFigures w : insights.weeks()) {
                    rows.add(List.of(w.start(), w.end(), w.current(), w.newThreads(), w.replies(), w.reactions(),
                            w.activeMembers(), w.questions(), w.answered(), w.solved(), share(w.solvedShare()),
                            hours(w.medianFirstReplySeconds())));
                }
            }
            case "new-threads" -> weekly(rows, insights, "new_threads", Insights.WeekFigures::newThreads);
            case "replies" -> weekly(rows, insights, "replies", Insights.WeekFigures::replies);
            case "reactions" -> weekly(rows, insights, "reactions", Insights.WeekFigures::reactions);
            case "active-members" -> weekly(rows, insights, "active_members", Insights.WeekFigures::activeMembers);
            case "median-first-reply" -> weekly(rows, insights, "median_first_reply_hours",
                    w -> hours(w.medianFirstReplySeconds()));
            case "solved-share" -> weekly(rows, insights, "solved_share", w -> share(w.solvedShare()));
            case "channels" -> {
                rows.add(List.of("channel", "name", "kind", "cohort", "week_start", "threads", "posts"));
                String fewer = "fewer than " + insights.crowdThreshold();
                for (Insights.ChannelWeeks c : insights.channels()) {
                    for (Insights.ChannelWeek w : c.weeks()) {
                        rows.add(List.of(c.channel(), c.name(), c.kind(), c.cohort() == null ? "" : c.cohort(),
                                insights.weeks().get(w.index()).start(), w.fewerThanK() ? fewer : w.threads(),
                                w.fewerThanK() ? fewer : w.posts()));
                    }
                }
            }
            case "busiest-channels" -> {
                rows.add(List.of("channel", "name", "cohort", "posts"));
                insights.busiestChannels().forEach(c -> rows.add(List.of(c.channel(), c.name(),
                        c.cohort() == null ? "" : c.cohort(), c.posts())));
            }
            case "top-tags" -> {
                rows.add(List.of("tag", "threads"));
                insights.topTags().forEach(t -> rows.add(List.of(t.tag(), t.threads())));
            }
            case "unanswered" -> {
                rows.add(List.of("thread", "title", "channel", "asked_at", "age_hours", "link"));
                insights.unanswered().listed().forEach(q -> rows.add(List.of(q.id(), q.title(), q.channel(), q.askedAt(),
                        q.ageHours(), q.link())));
            }
            case "inactive" -> {
                Insights.Inactive i = insights.inactive();
                if (i.members() == null) {
                    rows.add(List.of("members", "no_visit_in_" + i.days() + "_days"));
                    rows.add(List.of(i.of(), i.count()));
                } else {
                    rows.add(List.of("username", "name", "last_seen_on"));
                    i.members().forEach(m -> rows.add(List.of(m.username(), m.name(),
                            m.lastSeenOn() == null ? "" : m.lastSeenOn())));
                }
            }
            case "cohorts" -> {
                rows.add(List.of("cohort", "name", "members", "no_visit_in_30_days", "new_threads", "posts",
                        "unanswered"));
                insights.cohorts().forEach(c -> rows.add(List.of(c.cohort(), c.name(), c.members(), c.inactive(),
                        c.newThreads(), c.posts(), c.unanswered())));
            }
            default -> {
                return null;
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(field(row.get(i)));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static void weekly(List<List<Object>> rows, Insights insights, String column,
            Function<Insights.WeekFigures, Object> value) {
        rows.add(List.of("week_start", "week_end", "so_far", column));
        for (Insights.WeekFigures w : insights.weeks()) {
            rows.add(List.of(w.start(), w.end(), w.current(), value.apply(w)));
        }
    }

    private static Object share(Double share) {
        return share == null ? "" : String.format(Locale.ROOT, "%.4f", share);
    }

    private static Object hours(Long seconds) {
        return seconds == null ? "" : String.format(Locale.ROOT, "%.2f", seconds / 3600.0);
    }

    static String field(Object value) {
        String s = String.valueOf(value);
        if (value instanceof String && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

}
