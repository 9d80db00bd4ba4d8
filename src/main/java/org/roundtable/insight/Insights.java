package org.roundtable.insight;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The figures of one insight page (a cohort, or the whole network), as the page, the CSV downloads and the JSON API give
 * them. docs/insights.md defines each figure. Nothing here is per member or per pseudonym: the only names are those of
 * {@link Inactive#members}, given to the cohort's own facilitators.
 */
@Schema(name = "Insights", description = "The figures of a cohort or of the network over the last 12 weeks and this week so far (docs/insights.md)")
public record Insights(
        @Schema(description = "\"network\" or \"cohort\"") String scope,
        @Schema(description = "The cohort's address (null for the network)") String cohort,
        @Schema(description = "The cohort's name, or \"The network\"") String name,
        @Schema(description = "Weeks are ISO weeks in UTC: Monday 00:00 UTC to the next Monday; the last one is the current week so far") String timeZone,
        OffsetDateTime from,
        OffsetDateTime until,
        @Schema(description = "The crowd threshold K: an undiscussables week with fewer posts shows fewerThanK instead of counts") int crowdThreshold,
        List<WeekFigures> weeks,
        Inactive inactive,
        Unanswered unanswered,
        List<TagCount> topTags,
        List<ChannelTotal> busiestChannels,
        List<ChannelWeeks> channels,
        @Schema(description = "For the network: one row per cohort (empty for a cohort)") List<CohortRow> cohorts) {

    /**
     * One week of the scope's channels, the undiscussables left out (they have only their own per-channel counts).
     *
     * @param medianFirstReplySeconds the median time from a question to its first reply, over the week's questions that
     *            have one; null when none has
     * @param solvedShare solved ÷ questions, null without questions
     */
    @Schema(name = "InsightWeek")
    public record WeekFigures(int index, LocalDate start, LocalDate end, boolean current, int newThreads, int replies,
            int reactions, int activeMembers, int questions, int answered, int solved, Double solvedShare,
            Long medianFirstReplySeconds) {
    }

    /**
     * Members of the scope with no visit in the last 30 days.
     *
     * @param members the names, for the cohort's own facilitators; null for everyone else
     */
    @Schema(name = "InsightInactive")
    public record Inactive(int days, int count, int of, List<InactiveMember> members) {
    }

    @Schema(name = "InsightInactiveMember")
    public record InactiveMember(String username, String name, LocalDate lastSeenOn) {
    }

    /**
     * Questions asked in the window with no reply from anyone but their author, not solved, not locked or closed,
     * oldest first.
     *
     * @param count all of them
     * @param listed those the viewer may open (at most {@link InsightService#UNANSWERED_LISTED}), with age and link
     * @param notListed those in channels the viewer may not read (counted only)
     */
    @Schema(name = "InsightUnanswered")
    public record Unanswered(int count, List<Question> listed, int notListed) {
    }

    @Schema(name = "InsightQuestion")
    public record Question(long id, String title, String channel, String channelName, OffsetDateTime askedAt,
            long ageHours, String link) {

        /** "5 hours", "3 days". */
        public String age() {
            return ageHours < 48 ? ageHours + (ageHours == 1 ? " hour" : " hours") : (ageHours / 24) + " days";
        }

        public LocalDate askedOn() {
            return askedAt.toLocalDate();
        }

        /** The datetime attribute of the page's time element: UTC, to the second (web/TimeFormat.iso). */
        public String askedAtAttribute() {
            return org.roundtable.web.TimeFormat.iso(askedAt);
        }
    }

    @Schema(name = "InsightTag")
    public record TagCount(String tag, int threads) {
    }

    @Schema(name = "InsightChannelTotal")
    public record ChannelTotal(String channel, String name, String cohort, int posts) {
    }

    /** One channel's weeks; for the undiscussables, a week with fewer than K posts has null counts and fewerThanK. */
    @Schema(name = "InsightChannel")
    public record ChannelWeeks(String channel, String name, String kind, String cohort, String cohortName,
            List<ChannelWeek> weeks) {

        public boolean undiscussables() {
            return "undiscussables".equals(kind);
        }
    }

    @Schema(name = "InsightChannelWeek")
    public record ChannelWeek(int index, Integer threads, Integer posts, boolean fewerThanK) {
    }

    /** One cohort of the network page: its people and its activity in the window (the undiscussables left out). */
    @Schema(name = "InsightCohort")
    public record CohortRow(String cohort, String name, int members, int inactive, int newThreads, int posts,
            int unanswered) {
    }
}
