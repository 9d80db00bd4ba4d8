package org.roundtable.cohort;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Onboarding (issue 19): a new cohort starts with a channel, its page offers "Ask the cohort" to those who may ask, and
 * an anonymous channel that lacks a crowd says so on its page before anyone writes.
 */
@QuarkusTest
class OnboardingTest {

    @Inject
    Pool pool;

    @Test
    void shouldGiveANewCohortAGeneralChannelThatAskTheCohortOpens() {
        String admin = TestData.member("onbadm", "admin");
        String facilitator = TestData.member("onbfac");
        String member = TestData.member("onbmem");
        String slug = "onb-" + Keycloak.uniqueUsername("c");

        // made through the admin's form on "My cohorts"
        Response made = Pages.submit(admin, Pages.page(admin, "/cohorts"), "form.create-cohort",
                Map.of("slug", slug, "name", "Riverside principals", "description", ""));
        assertThat(made.statusCode()).isEqualTo(303);
        given().auth().oauth2(Keycloak.token(admin)).contentType(ContentType.JSON)
                .put("/api/cohorts/" + slug + "/facilitators/" + facilitator).then().statusCode(204);
        TestData.addToCohort(pool, slug, "member", member);

        Document page = Pages.page(member, "/cohorts/" + slug);
        Element general = page.selectFirst(".channels .channel-list li");
        assertThat(page.select(".channels .channel-list li")).hasSize(1);
        assertThat(general.selectFirst("a").text()).isEqualTo("General");
        String channel = general.attr("data-slug");
        assertThat(channel).isEqualTo(slug + "-general");

        Element ask = page.selectFirst("a.ask-cohort-link");
        assertThat(ask).as("Ask the cohort").isNotNull();
        assertThat(ask.text()).isEqualTo("Ask the cohort");
        assertThat(ask.attr("href")).isEqualTo("/channels/" + channel + "/new");
        assertThat(Pages.page(facilitator, "/cohorts/" + slug).select("a.ask-cohort-link")).hasSize(1);

        // it opens the composer of that channel, which only the cohort reads
        Document composer = Pages.page(member, ask.attr("href"));
        assertThat(composer.select("form.composer")).hasSize(1);
        assertThat(composer.select("form.composer").attr("action")).isEqualTo("/channels/" + channel + "/threads");

        // the channel is a cohort channel: an outsider does not see it
        String outsider = TestData.member("onbout");
        assertThat(Pages.get(outsider, "/channels/" + channel).statusCode()).isEqualTo(404);
        // its making is in the audit log, as a facilitator's channel is
        assertThat(pool.preparedQuery("select count(*) from audit_entry where action = 'channel.create' and target_id = $1")
                .execute(Tuple.of(channel)).await().indefinitely().iterator().next().getLong(0)).isEqualTo(1);
    }

    @Test
    void shouldOfferAskTheCohortOnlyToMembersWhoMayPost() {
        String facilitator = TestData.member("askfac");
        String member = TestData.member("askmem");
        String cohort = TestData.cohort(pool, facilitator, member);
        assertThat(Pages.page(member, "/cohorts/" + cohort).selectFirst("a.ask-cohort-link").attr("href"))
                .isEqualTo("/channels/" + cohort + "/new");

        // an admin who is not a member reads the cohort, and is not offered to ask it
        String admin = TestData.member("askadm", "admin");
        assertThat(Pages.page(admin, "/cohorts/" + cohort).select("a.ask-cohort-link")).isEmpty();

        // a member silenced in the cohort is not offered a form that would refuse them
        long memberId = pool.preparedQuery("select id from member where username = $1").execute(Tuple.of(member))
                .await().indefinitely().iterator().next().getLong(0);
        given().auth().oauth2(Keycloak.token(facilitator)).contentType(ContentType.JSON)
                .body(Map.of("cohort", cohort, "reason", "A pause to cool down"))
                .put("/api/members/" + memberId + "/silence").then().statusCode(204);
        assertThat(Pages.page(member, "/cohorts/" + cohort).select("a.ask-cohort-link")).isEmpty();

        // an archived cohort takes no new posts: no offer either
        String other = TestData.cohort(pool, facilitator, member);
        pool.preparedQuery("update cohort set archived_at = now() where slug = $1").execute(Tuple.of(other))
                .await().indefinitely();
        assertThat(Pages.page(member, "/cohorts/" + other).select("a.ask-cohort-link")).isEmpty();
    }

    @Test
    void shouldSayOnTheChannelPageThatAnonymousPostingWaitsForACrowdBeforeAnyoneWrites() {
        String a = TestData.member("crowda");
        String b = TestData.member("crowdb");
        String small = TestData.cohortUndiscussables(pool, a, b);
        TestData.seatedLongAgo(pool, small);

        Document page = Pages.page(a, "/channels/" + small);
        assertThat(page.select(".crowd-notice").text()).contains("at least 8 members", "has 2");
        assertThat(page.select("a.new-thread")).as("no composer that would refuse").isEmpty();

        // a channel with its crowd says nothing of the kind, and offers a new thread
        TestData.networkOfAtLeast(pool, 8);
        String open = TestData.channel(pool, "undiscussables");
        Document crowded = Pages.page(a, "/channels/" + open);
        assertThat(crowded.select(".crowd-notice")).isEmpty();
        assertThat(crowded.select("a.new-thread")).hasSize(1);
    }
}
