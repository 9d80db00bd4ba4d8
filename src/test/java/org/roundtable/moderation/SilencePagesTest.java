package org.roundtable.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/** A cohort's facilitator silences a member of the cohort from the member's profile, and lifts it there. */
@QuarkusTest
class SilencePagesTest {

    @Inject
    Pool pool;

    /** The people, made (and logged in) once; each test has a cohort of its own with them. */
    static String facilitator;
    static String member;
    static String plain;
    String cohort;

    @BeforeEach
    void setUp() {
        if (facilitator == null) {
            facilitator = TestData.member("sfac");
            member = TestData.member("smem");
            plain = TestData.member("splain");
        }
        cohort = TestData.cohort(pool, facilitator, member, plain);
    }

    @Test
    void shouldSilenceAMemberFromTheProfileSoTheyCannotPostInTheCohortUntilLifted() {
        long thread = TestData.thread(facilitator, cohort, "A thread of the cohort", "Opening");
        String until = LocalDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.MINUTES).toString();

        // The thread page as it was before the silence (the member had it open): its composer is sent after it.
        Document openBefore = Pages.page(member, "/threads/" + thread);
        Document profile = Pages.page(facilitator, "/members/" + member);
        Response silenced = Pages.submit(facilitator, profile, silenceForm(), Map.of("until", until, "reason", "Cooling off"));
        assertThat(silenced.statusCode()).isEqualTo(303);
        assertThat(silenced.header("Location")).contains("/members/" + member + "?silenced=" + cohort);

        Document after = Pages.page(facilitator, "/members/" + member + "?silenced=" + cohort);
        assertThat(after.select(".notice[role=status]").text()).isEqualTo("Silenced in Cohort " + cohort + ".");
        assertThat(after.select(block() + " .silenced").text()).startsWith("Silenced until").contains("Cooling off");
        assertThat(after.select(block() + " .silenced time").attr("datetime")).startsWith(until);

        // Silenced, the member is offered no composer; one sent from a page opened before is refused, its text kept.
        assertThat(Pages.page(member, "/threads/" + thread).select("form.composer")).isEmpty();
        Response refused = Pages.submit(member, openBefore, "form.composer",
                Map.of("body", "May I say something?", "action", "post"));
        assertThat(refused.statusCode()).isEqualTo(403);
        Document form = Jsoup.parse(refused.asString());
        assertThat(form.select(".form-errors").text()).contains("read-only", "Cooling off");
        assertThat(form.select("textarea#body").val()).isEqualTo("May I say something?");
        assertThat(form.select(".read-only-notice[data-read-only=silenced]")).hasSize(1);

        Response lifted = Pages.submit(facilitator, after, block() + " form.lift", Map.of());
        assertThat(lifted.statusCode()).isEqualTo(303);
        assertThat(lifted.header("Location")).contains("/members/" + member + "?lifted=" + cohort);
        Document liftedProfile = Pages.page(facilitator, "/members/" + member + "?lifted=" + cohort);
        assertThat(liftedProfile.select(block() + " .silenced")).isEmpty();
        assertThat(liftedProfile.select(".notice[role=status]").text()).contains("lifted");

        Response posted = Pages.submit(member, Pages.page(member, "/threads/" + thread), "form.composer",
                Map.of("body", "Thank you, I will be brief.", "action", "post"));
        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(Pages.page(facilitator, "/threads/" + thread).text()).contains("Thank you, I will be brief.");
    }

    @Test
    void shouldShowTheFormAgainWithTheFieldMarkedWhenUntilOrReasonIsWrong() {
        Document profile = Pages.page(facilitator, "/members/" + member);

        Response past = Pages.submit(facilitator, profile, silenceForm(), Map.of("until", "2020-01-01T10:00", "reason", "Too late"));
        assertThat(past.statusCode()).isEqualTo(400);
        Document again = Jsoup.parse(past.asString());
        assertThat(again.select("#until-" + cohort).attr("aria-invalid")).isEqualTo("true");
        assertThat(again.select("#until-" + cohort + "-error").text()).contains("in the future");
        assertThat(again.select("#reason-" + cohort).val()).isEqualTo("Too late");
        assertThat(again.select("#reason-" + cohort).hasAttr("aria-invalid")).isFalse();

        Response unparseable = Pages.submit(facilitator, profile, silenceForm(), Map.of("until", "next week", "reason", "Soon"));
        assertThat(unparseable.statusCode()).isEqualTo(400);
        Document garbled = Jsoup.parse(unparseable.asString());
        assertThat(garbled.select("#until-" + cohort).attr("aria-invalid")).isEqualTo("true");
        assertThat(garbled.select("#until-" + cohort + "-error").text()).contains("Use a date and time like");
        assertThat(garbled.select("#reason-" + cohort).val()).isEqualTo("Soon");

        String until = LocalDateTime.now(ZoneOffset.UTC).plusDays(1).truncatedTo(ChronoUnit.MINUTES).toString();
        Response noReason = Pages.submit(facilitator, profile, silenceForm(), Map.of("until", until, "reason", " "));
        assertThat(noReason.statusCode()).isEqualTo(400);
        Document missing = Jsoup.parse(noReason.asString());
        assertThat(missing.select("#reason-" + cohort).attr("aria-invalid")).isEqualTo("true");
        assertThat(missing.select("#reason-" + cohort + "-error").text()).contains("Give the reason");
        assertThat(missing.select("#until-" + cohort).val()).isEqualTo(until);
        assertThat(missing.select(".form-errors").text()).contains("Give the reason");

        assertThat(silences()).isZero();
    }

    @Test
    void shouldRefuseAPlainMemberOfTheCohortAndChangeNothing() {
        assertThat(Pages.page(plain, "/members/" + member).select("section.cohort-silences")).isEmpty();
        Document facilitatorsProfile = Pages.page(facilitator, "/members/" + member);

        Response refused = Pages.submit(plain, facilitatorsProfile, silenceForm(),
                Map.of("reason", "I do not like them", "csrf-token", csrfToken(plain)));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(silences()).isZero();

        Response silenced = Pages.submit(facilitator, facilitatorsProfile, silenceForm(), Map.of("reason", "Cooling off"));
        assertThat(silenced.statusCode()).isEqualTo(303);
        Document silencedProfile = Pages.page(facilitator, "/members/" + member);
        Response notLifted = Pages.submit(plain, silencedProfile, block() + " form.lift", Map.of("csrf-token", csrfToken(plain)));
        assertThat(notLifted.statusCode()).isEqualTo(403);
        assertThat(silences()).isEqualTo(1);
        assertThat(Pages.page(facilitator, "/members/" + member).select(block() + " .silenced").text())
                .isEqualTo("Silenced until lifted (Cooling off)");
    }

    private String block() {
        return "section.cohort-silences .silence[data-cohort=" + cohort + "]";
    }

    private String silenceForm() {
        return block() + " form.silence-form";
    }

    /** The person's own CSRF token (as the person's pages carry it): posting a form of another's page. */
    private static String csrfToken(String username) {
        return Pages.csrfToken(username);
    }

    /** The member's silences in this test's cohort. */
    private long silences() {
        return pool.preparedQuery("""
                select count(*) from cohort_silence s join member m on m.id = s.member_id join cohort c on c.id = s.cohort_id
                where m.username = $1 and c.slug = $2 and s.until > now()
                """).execute(Tuple.of(member, cohort)).await().indefinitely().iterator().next().getLong(0);
    }
}
