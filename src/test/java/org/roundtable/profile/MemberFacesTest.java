package org.roundtable.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/** Faces (issue 19): the initials avatar beside a member's name in the member directory and on their profile. */
@QuarkusTest
class MemberFacesTest {

    @Inject
    Pool pool;

    @Test
    void shouldShowAMembersInitialsInTheDirectoryAndOnTheirProfile() {
        String viewer = TestData.member("faceview");
        String member = TestData.member("facemem");
        pool.preparedQuery("update member set name = 'Grace Okonkwo-Hall' where username = $1").execute(Tuple.of(member))
                .await().indefinitely();

        Document directory = Pages.page(viewer, "/members?q=" + member);
        Element row = directory.selectFirst(".directory li[data-username=" + member + "]");
        assertThat(row).isNotNull();
        Element face = row.selectFirst("svg.avatar");
        assertThat(face).as("a face beside the name").isNotNull();
        assertThat(face.attr("aria-hidden")).isEqualTo("true");
        assertThat(face.select("text").text()).isEqualTo("GO");
        assertThat(row.selectFirst("a").text()).isEqualTo("Grace Okonkwo-Hall");

        Document profile = Pages.page(viewer, "/members/" + member);
        assertThat(profile.select(".profile-head svg.avatar text").text()).isEqualTo("GO");
        assertThat(profile.select(".profile-head svg.avatar").attr("aria-hidden")).isEqualTo("true");
        assertThat(profile.select("h1").text()).isEqualTo("Grace Okonkwo-Hall");
        // the same face in both places (its colour comes from the username)
        assertThat(profile.selectFirst(".profile-head svg.avatar circle").attr("fill")).isEqualTo(face.selectFirst("circle").attr("fill"));
    }
}
