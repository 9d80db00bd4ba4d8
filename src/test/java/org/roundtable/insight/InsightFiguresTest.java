package org.roundtable.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.insight.Insights.ChannelTotal;
import org.roundtable.insight.Insights.ChannelWeek;
import org.roundtable.insight.Insights.ChannelWeeks;
import org.roundtable.insight.Insights.CohortRow;
import org.roundtable.insight.Insights.InactiveMember;
import org.roundtable.insight.Insights.TagCount;
import org.roundtable.insight.Insights.WeekFigures;
import org.roundtable.security.Viewer;
import org.roundtable.support.TestData;

/**
 * The figures of the insight pages on a small known data set, checked exactly. The page is asked at a fixed moment
 * (REF, a Wednesday noon UTC of 2021, through the service's clock parameter) and every row is written at a time
 * relative to REF, so nothing depends on today's date or the clock; no other test writes rows in those weeks.
 */
@QuarkusTest
class InsightFiguresTest {

    /** Wednesday 10 March 2021, 12:00 UTC: the current week started Monday 8 March; the window on 14 December 2020. */
    static final Instant REF = Instant.parse("2021-03-10T12:00:00Z");

    @Inject
    Pool pool;

    @Inject
    InsightService insights;

    @Inject
    AnonymityConfig anonymity;

    @Inject
    InsightRefresh refresh;

    String cohort;
    String second;
    String undiscussables;
    long f;
    long m1;
    long m2;
    long m3;
    long m4;
    long networkFacilitator;
    String facilitatorName;
    String m2Name;
    String m4Name;
    long t1;
    long t2;
    long t5;
    long t3;
    long t4;
    long t8;

    @BeforeEach
    void knownDataSet() {
        String fac = TestData.memberRow(pool, "if");
        String u1 = TestData.memberRow(pool, "i1");
        String u2 = TestData.memberRow(pool, "i2");
        String u3 = TestData.memberRow(pool, "i3");
        String u4 = TestData.memberRow(pool, "i4");
        cohort = TestData.cohort(pool, fac, u1, u2, u3, u4);
        second = cohort + "-2";
        undiscussables = cohort + "-u";
        sql("insert into channel (slug, name, kind, cohort_id, position) select $1, 'Second', 'cohort', id, 1 from cohort where slug = $2",
                second, cohort);
        sql("insert into channel (slug, name, kind, cohort_id, position) select $1, 'Undiscussables', 'undiscussables', id, 2 from cohort where slug = $2",
                undiscussables, cohort);
        f = id(fac);
        m1 = id(u1);
        m2 = id(u2);
        m3 = id(u3);
        m4 = id(u4);
        facilitatorName = "Row " + fac;
        m2Name = "Row " + u2;
        m4Name = "Row " + u4;
        networkFacilitator = id(TestData.memberRow(pool, "inf"));
        // last visits, REF's day being 10 March: 30 days back is 8 February (still a visit), before it is none
        sql("update member set last_seen_on = $2 where id = $1", f, LocalDate.parse("2021-03-09"));
        sql("update member set last_seen_on = $2 where id = $1", m1, LocalDate.parse("2021-02-08"));
        sql("update member set last_seen_on = $2 where id = $1", m2, LocalDate.parse("2021-02-07"));
        sql("update member set last_seen_on = $2 where id = $1", m3, LocalDate.parse("2021-03-01"));
        // m4 was never seen

        // The current week (Monday 8 March to REF)
        t1 = thread(cohort, m1, "How do you plan the budget?", at("2021-03-08T09:00"), "budget", "hiring");
        long answer = reply(t1, m2, at("2021-03-08T11:00")); // first reply after 2 hours
        reply(t1, m1, at("2021-03-08T12:00"));
        react(post(t1, 1), m3, at("2021-03-09T10:00"));
        sql("update thread set accepted_post_id = $2 where id = $1", t1, answer);
        t2 = thread(cohort, m2, "Who covers recess duty?", at("2021-03-09T08:00"), "budget");
        reply(t2, m2, at("2021-03-09T09:00")); // the asker's own reply: no answer
        reply(t2, m3, at("2021-03-10T13:00")); // after REF: not yet written at REF
        t8 = thread(cohort, m2, "A locked question", at("2021-03-09T10:00"));
        sql("update thread set locked_at = $2 where id = $1", t8, at("2021-03-09T11:00"));
        long hidden = thread(cohort, m3, "A hidden thread", at("2021-03-09T12:00"), "hidden-tag");
        sql("update thread set hidden_at = $2, hidden_reason = 'test' where id = $1", hidden, at("2021-03-09T13:00"));

        // The week before (1 to 8 March)
        t3 = thread(second, m3, "Hiring in a tight market", at("2021-03-01T10:00"), "hiring");
        reply(t3, m1, at("2021-03-02T10:00")); // 24 hours
        long hiddenReply = reply(t3, m2, at("2021-03-02T11:00"));
        sql("update post set hidden_at = $2 where id = $1", hiddenReply, at("2021-03-02T12:00"));
        t4 = thread(cohort, m1, "Chromebook carts", at("2021-03-03T10:00"));
        reply(t4, m3, at("2021-03-03T16:00")); // 6 hours

        // The first week of the window starts on 14 December 2020 at 00:00; a thread an hour before is outside it
        t5 = thread(cohort, m1, "Still waiting for an answer", at("2020-12-14T00:00"));
        thread(cohort, m2, "Before the window", at("2020-12-13T23:00"), "old-tag");

        // The undiscussables: K posts the week before, K - 1 this week (hours, as anonymous posts are stored)
        int k = anonymity.minAudience();
        long a1 = anonymousThread(undiscussables, at("2021-03-02T10:00"));
        for (int i = 1; i < k; i++) {
            anonymousReply(a1, at("2021-03-02T1" + (i % 10) + ":00"));
        }
        long a2 = anonymousThread(undiscussables, at("2021-03-08T00:00"));
        for (int i = 1; i < k - 1; i++) {
            anonymousReply(a2, at("2021-03-09T0" + (i % 10) + ":00"));
        }
        sql("insert into reaction (post_id, kind, pseudonym, created_at) values ($1, 'thanks', $2, $3)", post(a1, 1),
                pseudonym(), at("2021-03-02T10:00"));
    }

    @Test
    void shouldComputeEveryWeeklyFigureOfTheCohortExactly() {
        Insights i = insights.cohort(facilitator(), cohort, REF).await().indefinitely();

        assertThat(i.scope()).isEqualTo("cohort");
        assertThat(i.timeZone()).isEqualTo("UTC");
        assertThat(i.from()).isEqualTo(OffsetDateTime.parse("2020-12-14T00:00Z"));
        assertThat(i.until()).isEqualTo(OffsetDateTime.parse("2021-03-10T12:00Z"));
        assertThat(i.weeks()).hasSize(13);
        assertThat(i.weeks().get(0).start()).isEqualTo(LocalDate.parse("2020-12-14"));
        assertThat(i.weeks().get(12).start()).isEqualTo(LocalDate.parse("2021-03-08"));
        assertThat(i.weeks().get(12).current()).isTrue();

        // index, start, end, current, threads, replies, reactions, active, questions, answered, solved, share, median s
        assertThat(i.weeks().get(12)).isEqualTo(new WeekFigures(12, LocalDate.parse("2021-03-08"),
                LocalDate.parse("2021-03-15"), true, 3, 3, 1, 3, 3, 1, 1, 1.0 / 3, 7200L));
        assertThat(i.weeks().get(11)).isEqualTo(new WeekFigures(11, LocalDate.parse("2021-03-01"),
                LocalDate.parse("2021-03-08"), false, 2, 2, 0, 2, 2, 2, 0, 0.0, 54000L));
        assertThat(i.weeks().get(0)).isEqualTo(new WeekFigures(0, LocalDate.parse("2020-12-14"),
                LocalDate.parse("2020-12-21"), false, 1, 0, 0, 1, 1, 0, 0, 0.0, null));
        for (int w = 1; w <= 10; w++) {
            WeekFigures empty = i.weeks().get(w);
            assertThat(List.of(empty.newThreads(), empty.replies(), empty.reactions(), empty.activeMembers(),
                    empty.questions())).as("week %d", w).containsOnly(0);
            assertThat(empty.solvedShare()).isNull();
            assertThat(empty.medianFirstReplySeconds()).isNull();
        }

        assertThat(i.unanswered().count()).isEqualTo(2);
        assertThat(i.unanswered().notListed()).isZero();
        assertThat(i.unanswered().listed()).extracting(Insights.Question::id, Insights.Question::ageHours,
                Insights.Question::link).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(t5, 86L * 24 + 12, "/threads/" + t5),
                        org.assertj.core.groups.Tuple.tuple(t2, 28L, "/threads/" + t2));

        assertThat(i.topTags()).containsExactly(new TagCount("budget", 2), new TagCount("hiring", 2));
        assertThat(i.busiestChannels()).containsExactly(new ChannelTotal(cohort, "Channel of " + cohort, cohort, 9),
                new ChannelTotal(second, "Second", cohort, 2));

        assertThat(i.inactive().count()).isEqualTo(2);
        assertThat(i.inactive().of()).isEqualTo(5);
        assertThat(i.inactive().days()).isEqualTo(30);
        assertThat(i.inactive().members()).containsExactly(new InactiveMember(nameToUsername(m2Name), m2Name,
                LocalDate.parse("2021-02-07")), new InactiveMember(nameToUsername(m4Name), m4Name, null));
        assertThat(i.cohorts()).isEmpty();
    }

    @Test
    void shouldShowOnlyCountsOfThreadsAndPostsForTheUndiscussablesAndFewerThanKBelowTheCrowd() {
        Insights i = insights.cohort(facilitator(), cohort, REF).await().indefinitely();
        int k = anonymity.minAudience();
        assertThat(i.crowdThreshold()).isEqualTo(k);
        assertThat(i.channels()).extracting(ChannelWeeks::channel).containsExactly(cohort, second, undiscussables);

        ChannelWeeks u = i.channels().get(2);
        assertThat(u.kind()).isEqualTo("undiscussables");
        // K posts in a week: counted; K - 1: "fewer than K", and the numbers do not leave the database
        assertThat(u.weeks().get(11)).isEqualTo(new ChannelWeek(11, 1, k, false));
        assertThat(u.weeks().get(12)).isEqualTo(new ChannelWeek(12, null, null, true));
        for (int w = 0; w <= 10; w++) {
            assertThat(u.weeks().get(w)).isEqualTo(new ChannelWeek(w, null, null, true));
        }
        // every other figure leaves the undiscussables out: the reaction under a pseudonym, the 2K - 1 posts
        assertThat(i.weeks().get(11).reactions()).isZero();
        assertThat(i.weeks().get(11).replies()).isEqualTo(2);
        assertThat(i.weeks().get(12).newThreads()).isEqualTo(3);

        ChannelWeeks named = i.channels().get(0);
        assertThat(named.weeks().get(12)).isEqualTo(new ChannelWeek(12, 3, 6, false));
        assertThat(named.weeks().get(11)).isEqualTo(new ChannelWeek(11, 1, 2, false));
        assertThat(named.weeks().get(0)).isEqualTo(new ChannelWeek(0, 1, 1, false));
        assertThat(i.channels().get(1).weeks().get(11)).isEqualTo(new ChannelWeek(11, 1, 2, false));
    }

    @Test
    void shouldGiveNamesOnlyToTheCohortsOwnFacilitatorsAndTitlesOnlyWhereTheViewerReads() {
        Insights network = insights.cohort(viewer(networkFacilitator, "facilitator"), cohort, REF).await().indefinitely();
        assertThat(network.inactive().count()).isEqualTo(2);
        assertThat(network.inactive().members()).isNull();
        // a network facilitator does not read the cohort's channels: the questions are counted, not listed
        assertThat(network.unanswered().count()).isEqualTo(2);
        assertThat(network.unanswered().listed()).isEmpty();
        assertThat(network.unanswered().notListed()).isEqualTo(2);
        assertThat(network.weeks()).isEqualTo(insights.cohort(facilitator(), cohort, REF).await().indefinitely().weeks());

        Insights admin = insights.cohort(viewer(networkFacilitator, "admin"), cohort, REF).await().indefinitely();
        assertThat(admin.inactive().members()).isNull();
        assertThat(admin.unanswered().listed()).hasSize(2);
    }

    @Test
    void shouldListEachCohortOnTheNetworkPage() {
        Insights i = insights.network(viewer(networkFacilitator, "facilitator"), REF).await().indefinitely();
        assertThat(i.scope()).isEqualTo("network");
        assertThat(i.inactive().members()).isNull();
        assertThat(i.cohorts()).filteredOn(c -> c.cohort().equals(cohort))
                .containsExactly(new CohortRow(cohort, "Cohort " + cohort, 5, 2, 6, 11, 2));
        assertThat(i.channels()).filteredOn(c -> c.cohort() != null && c.cohort().equals(cohort))
                .extracting(ChannelWeeks::channel).containsExactly(cohort, second, undiscussables);
        assertThat(i.channels()).filteredOn(c -> c.channel().equals(undiscussables)).singleElement()
                .satisfies(u -> assertThat(u.weeks().get(12).fewerThanK()).isTrue());
    }

    // ------------------------------------------------------------------------------------------------ precomputed

    /** The weeks of REF's window: precomputed figures of one test would be stale for the next test's data set. */
    @AfterEach
    void forgetThePrecomputedWeeks() {
        sql("delete from insight_week where week_start >= $1 and week_start < $2", at("2020-12-01T00:00"),
                at("2021-04-01T00:00"));
    }

    @Test
    void shouldGiveTheSameFiguresFromThePrecomputedWeeksAsFromTheRows() {
        Insights liveCohort = insights.cohort(facilitator(), cohort, REF).await().indefinitely();
        Insights liveNetwork = insights.network(viewer(networkFacilitator, "facilitator"), REF).await().indefinitely();

        InsightRefresh.Run run = refresh.refresh(REF).await().indefinitely();
        assertThat(run.weeks()).hasSize(12);
        assertThat(run.weeks().get(0)).isEqualTo(OffsetDateTime.parse("2020-12-14T00:00Z"));
        assertThat(run.weeks().get(11)).isEqualTo(OffsetDateTime.parse("2021-03-01T00:00Z"));
        // the closed weeks' figures are rows now: the cohort's channel in the week before, the cohort's scope
        assertThat(one("""
                select w.threads, w.posts, w.reactions from insight_channel_week w join channel c on c.id = w.channel_id
                where c.slug = $1 and w.week_start = $2""", cohort, at("2021-03-01T00:00")).toJson().getMap())
                .containsEntry("threads", 1).containsEntry("posts", 2).containsEntry("reactions", 0);
        assertThat(one("""
                select s.active_members, s.questions, s.answered, s.solved, s.median_first_reply_seconds
                from insight_scope_week s join cohort co on co.id = s.cohort_id
                where co.slug = $1 and s.week_start = $2""", cohort, at("2021-03-01T00:00")).toJson().getMap())
                .containsEntry("active_members", 2).containsEntry("questions", 2).containsEntry("answered", 2)
                .containsEntry("solved", 0).containsEntry("median_first_reply_seconds", 54000.0);

        assertThat(insights.cohort(facilitator(), cohort, REF).await().indefinitely()).isEqualTo(liveCohort);
        assertThat(insights.network(viewer(networkFacilitator, "facilitator"), REF).await().indefinitely())
                .isEqualTo(liveNetwork);
        // and the exact figures hold when read from the precomputed weeks
        shouldComputeEveryWeeklyFigureOfTheCohortExactly();
        shouldShowOnlyCountsOfThreadsAndPostsForTheUndiscussablesAndFewerThanKBelowTheCrowd();
        shouldListEachCohortOnTheNetworkPage();
    }

    @Test
    void shouldShowAHideInAClosedWeekAfterTheNextRefresh() {
        refresh.refresh(REF).await().indefinitely();
        Insights before = insights.cohort(facilitator(), cohort, REF).await().indefinitely();
        assertThat(before.weeks().get(11).replies()).isEqualTo(2);
        assertThat(before.weeks().get(11).activeMembers()).isEqualTo(2);

        // t4's reply (by m3, the week before) is hidden: the page reads the week's figures as they were computed ...
        sql("update post set hidden_at = $2 where thread_id = $1 and number = 2", t4, at("2021-03-09T12:00"));
        assertThat(refresh.refresh(REF.plusSeconds(1800)).await().indefinitely().weeks())
                .as("the weeks were computed less than a period ago").isEmpty();
        assertThat(insights.cohort(facilitator(), cohort, REF).await().indefinitely().weeks().get(11).replies())
                .isEqualTo(2);

        // ... until the next refresh, a period later, computes them again
        assertThat(refresh.refresh(REF.plusSeconds(3600)).await().indefinitely().weeks()).hasSize(12);
        Insights after = insights.cohort(facilitator(), cohort, REF).await().indefinitely();
        assertThat(after.weeks().get(11).replies()).isEqualTo(1);
        assertThat(after.weeks().get(11).activeMembers()).isEqualTo(2); // m3 (t3) and m1 (a reply to t3, t4)
        assertThat(after.weeks().get(11).answered()).isEqualTo(1);
        assertThat(after.weeks().get(11).medianFirstReplySeconds()).isEqualTo(86400L);
        assertThat(after.weeks()).isEqualTo(liveWeeksWithoutThePrecomputed());
    }

    @Test
    void shouldComputeEachWeekOnceWhenTwoRefreshesRunAtOnce() {
        // two refreshes at the same moment, on two connections: each week is computed by one of them
        var both = io.smallrye.mutiny.Uni.combine().all()
                .unis(refresh.refresh(REF), refresh.refresh(REF)).asTuple().await().indefinitely();
        List<OffsetDateTime> weeks = new java.util.ArrayList<>(both.getItem1().weeks());
        weeks.addAll(both.getItem2().weeks());
        assertThat(weeks).hasSize(12).doesNotHaveDuplicates();
        assertPrecomputedRowsOnce();

        // a week held by another instance is skipped, not waited for nor computed twice
        pool.withTransaction(conn -> conn.preparedQuery("select 1 from insight_week where week_start >= $1 and week_start < $2 for update")
                .execute(Tuple.of(at("2020-12-14T00:00"), at("2021-01-18T00:00")))
                .flatMap(held -> refresh.refresh(REF.plusSeconds(3600)))
                .invoke(run -> assertThat(run.weeks()).hasSize(7)
                        .allMatch(w -> !w.isBefore(OffsetDateTime.parse("2021-01-18T00:00Z")))))
                .await().indefinitely();
        assertThat(refresh.refresh(REF.plusSeconds(3600)).await().indefinitely().weeks()).hasSize(5);
        assertThat(refresh.refresh(REF.plusSeconds(3600)).await().indefinitely().weeks()).isEmpty();
        assertPrecomputedRowsOnce();
        assertThat(insights.cohort(facilitator(), cohort, REF).await().indefinitely().weeks())
                .isEqualTo(liveWeeksWithoutThePrecomputed());
    }

    @Test
    void shouldChangeNoFigureButTheUndiscussablesCountsWhenAMemberPostsAnonymouslyInAClosedWeek() {
        refresh.refresh(REF).await().indefinitely();
        Insights before = insights.cohort(facilitator(), cohort, REF).await().indefinitely();
        Insights networkBefore = insights.network(viewer(networkFacilitator, "facilitator"), REF).await().indefinitely();

        // K anonymous posts five weeks back, by the cohort's members (posts under pseudonyms, stored by the hour)
        int k = anonymity.minAudience();
        long a = anonymousThread(undiscussables, at("2021-02-01T10:00"));
        for (int i = 1; i < k; i++) {
            anonymousReply(a, at("2021-02-02T0" + (i % 10) + ":00"));
        }
        assertThat(refresh.refresh(REF.plusSeconds(3600)).await().indefinitely().weeks()).hasSize(12);
        Insights after = insights.cohort(facilitator(), cohort, REF).await().indefinitely();
        Insights networkAfter = insights.network(viewer(networkFacilitator, "facilitator"), REF).await().indefinitely();

        assertThat(after.weeks()).isEqualTo(before.weeks());
        assertThat(after.inactive()).isEqualTo(before.inactive());
        assertThat(after.unanswered()).isEqualTo(before.unanswered());
        assertThat(after.topTags()).isEqualTo(before.topTags());
        assertThat(after.busiestChannels()).isEqualTo(before.busiestChannels());
        assertThat(networkAfter.weeks()).isEqualTo(networkBefore.weeks());
        assertThat(networkAfter.cohorts()).isEqualTo(networkBefore.cohorts());
        // the undiscussables' week 7 (1 February) has K posts now: counted
        assertThat(after.channels().get(2).weeks().get(7)).isEqualTo(new ChannelWeek(7, 1, k, false));
        assertThat(before.channels().get(2).weeks().get(7)).isEqualTo(new ChannelWeek(7, null, null, true));
    }

    /** Each channel and scope has at most one row per week (the keys say so; this reads them). */
    private void assertPrecomputedRowsOnce() {
        assertThat(one("""
                select count(*) as n, count(distinct (week_start, channel_id)) as keys from insight_channel_week
                where week_start >= $1 and week_start < $2""", at("2020-12-14T00:00"), at("2021-03-08T00:00"))
                .toJson().getMap()).satisfies(m -> assertThat(m.get("n")).isEqualTo(m.get("keys")));
        assertThat(one("""
                select s.active_members, s.questions from insight_scope_week s join cohort co on co.id = s.cohort_id
                where co.slug = $1 and s.week_start = $2""", cohort, at("2021-03-01T00:00")).toJson().getMap())
                .containsEntry("active_members", 2).containsEntry("questions", 2);
        assertThat(one("select count(*) as n from insight_week where week_start >= $1 and week_start < $2 and refreshed_at is not null",
                at("2020-12-14T00:00"), at("2021-03-08T00:00")).getLong("n")).isEqualTo(12);
    }

    /** The weekly figures as the rows give them: the precomputed weeks forgotten, the page counts every week itself. */
    private List<WeekFigures> liveWeeksWithoutThePrecomputed() {
        List<Row> saved = new java.util.ArrayList<>();
        pool.preparedQuery("select week_start, refreshed_at from insight_week where week_start >= $1 and week_start < $2")
                .execute(Tuple.of(at("2020-12-14T00:00"), at("2021-03-08T00:00"))).await().indefinitely().forEach(saved::add);
        sql("update insight_week set refreshed_at = null where week_start >= $1 and week_start < $2",
                at("2020-12-14T00:00"), at("2021-03-08T00:00"));
        List<WeekFigures> live = insights.cohort(facilitator(), cohort, REF).await().indefinitely().weeks();
        for (Row r : saved) {
            sql("update insight_week set refreshed_at = $2 where week_start = $1", r.getOffsetDateTime("week_start"),
                    r.getOffsetDateTime("refreshed_at"));
        }
        return live;
    }

    // ------------------------------------------------------------------------------------------------ data

    private Viewer facilitator() {
        return viewer(f, "member");
    }

    private static Viewer viewer(long id, String role) {
        Set<String> roles = role.equals("member") ? Set.of("member") : Set.of("member", role);
        return new Viewer(id, "user" + id, "User " + id, null, roles, null, null);
    }

    private static String nameToUsername(String name) {
        return name.substring("Row ".length());
    }

    static OffsetDateTime at(String localUtc) {
        return OffsetDateTime.parse(localUtc + ":00Z").withOffsetSameInstant(ZoneOffset.UTC);
    }

    private long thread(String channel, long author, String title, OffsetDateTime at, String... tags) {
        long thread = one("""
                insert into thread (channel_id, title, author_id, tags, created_at, last_posted_at, post_count)
                select id, $2, $3, $4, $5, $5, 1 from channel where slug = $1 returning id
                """, channel, title, author, tags, at).getLong("id");
        sql("insert into post (thread_id, number, path, author_id, source, html, created_at) values ($1, 1, '{}', $2, 'Q', '<p>Q</p>', $3)",
                thread, author, at);
        return thread;
    }

    private long reply(long thread, long author, OffsetDateTime at) {
        return one("""
                with t as (update thread set post_count = post_count + 1 where id = $1 returning post_count)
                insert into post (thread_id, number, path, author_id, source, html, created_at)
                select $1, t.post_count, array[t.post_count::bigint], $2, 'A', '<p>A</p>', $3 from t returning id
                """, thread, author, at).getLong("id");
    }

    private long anonymousThread(String channel, OffsetDateTime at) {
        String pseudonym = pseudonym();
        long thread = one("""
                insert into thread (channel_id, title, author_pseudonym, created_at, last_posted_at, post_count)
                select id, 'Anonymous', $2, $3, $3, 1 from channel where slug = $1 returning id
                """, channel, pseudonym, at).getLong("id");
        sql("insert into post (thread_id, number, path, pseudonym, source, html, created_at) values ($1, 1, '{}', $2, 'Q', '<p>Q</p>', $3)",
                thread, pseudonym, at);
        return thread;
    }

    private void anonymousReply(long thread, OffsetDateTime at) {
        sql("""
                with t as (update thread set post_count = post_count + 1 where id = $1 returning post_count)
                insert into post (thread_id, number, path, pseudonym, source, html, created_at)
                select $1, t.post_count, array[t.post_count::bigint], $2, 'A', '<p>A</p>', $3 from t
                """, thread, pseudonym(), at);
    }

    private void react(long post, long member, OffsetDateTime at) {
        sql("insert into reaction (post_id, kind, member_id, created_at) values ($1, 'thanks', $2, $3)", post, member, at);
    }

    private long post(long thread, int number) {
        return one("select id from post where thread_id = $1 and number = $2", thread, number).getLong("id");
    }

    private long id(String username) {
        return one("select id from member where username = $1", username).getLong("id");
    }

    static String pseudonym() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private Row one(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next();
    }

    private void sql(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
