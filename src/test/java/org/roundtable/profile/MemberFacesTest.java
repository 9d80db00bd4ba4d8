package org.roundtable.profile;

import static org.assertj.core.api.Assertions.assertThat;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Keycloak;
import org.roundtable.support.Pages;
import org.roundtable.support.TestData;

/**
 * Faces (issue 19): the initials avatar beside a member's name in the member directory and on their profile, or the
 * picture the identity provider gives (its {@code picture} claim), when it is an https address of an allowed origin
 * ({@code roundtable.members.picture-origins}, https://pictures.roundtable.test in the tests).
 */
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

    /** A member whose Keycloak account carries a picture; their row is synced by a request with a new token. */
    private static String memberWithPicture(String prefix, String picture) {
        String username = Keycloak.uniqueUsername(prefix);
        String id = Keycloak.createUser(username, "Picture", "Person");
        Keycloak.updateUser(id, Map.of("firstName", "Picture", "lastName", "Person",
                "email", username + "@test.roundtable.test", "attributes", Map.of("picture", List.of(picture))));
        given().auth().oauth2(Keycloak.newToken(username)).get("/api/me").then().statusCode(200);
        return username;
    }

    @Test
    void shouldShowThePictureFromTheIdentityProviderOnlyFromAnAllowedHttpsOrigin() {
        String viewer = TestData.member("picview");
        String url = "https://pictures.roundtable.test/people/p1.png";
        String pictured = memberWithPicture("picyes", url);
        String elsewhere = memberWithPicture("picother", "https://tracker.example.net/p.png");
        String plain = memberWithPicture("picplain", "http://pictures.roundtable.test/people/p2.png");

        Document profile = Pages.page(viewer, "/members/" + pictured);
        Element picture = profile.selectFirst(".profile-head img.avatar");
        assertThat(picture).as("the picture beside the name").isNotNull();
        assertThat(picture.attr("src")).isEqualTo(url);
        assertThat(picture.attr("alt")).isEqualTo("Picture of Picture Person");
        assertThat(profile.select(".profile-head svg.avatar")).isEmpty();
        Element listed = Pages.page(viewer, "/members?q=" + pictured).selectFirst(".directory li[data-username=" + pictured + "]");
        assertThat(listed.select("img.avatar").attr("src")).isEqualTo(url);
        // the page's policy lets that origin's pictures load, and no other
        assertThat(Pages.get(viewer, "/members/" + pictured).header("Content-Security-Policy"))
                .contains("img-src 'self' https://pictures.roundtable.test;");

        // another origin, or plain http: not kept, initials instead
        for (String other : List.of(elsewhere, plain)) {
            Document page = Pages.page(viewer, "/members/" + other);
            assertThat(page.select("img.avatar")).as(other).isEmpty();
            assertThat(page.select(".profile-head svg.avatar text").text()).isEqualTo("PP");
            assertThat(pool.preparedQuery("select picture from member where username = $1").execute(Tuple.of(other))
                    .await().indefinitely().iterator().next().getString("picture")).isNull();
        }
    }
}
