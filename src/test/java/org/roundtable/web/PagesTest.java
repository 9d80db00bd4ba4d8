package org.roundtable.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.roundtable.support.LocalStackResource;
import org.roundtable.support.Management;

@QuarkusTest
class PagesTest {

    @Test
    void shouldRedirectAGuestToKeycloakLoginWithPkce() {
        Response response = given().redirects().follow(false).when().get("/me");
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.header("Location");
        assertThat(location)
                .startsWith(LocalStackResource.keycloakUrl() + "/realms/roundtable/protocol/openid-connect/auth")
                .contains("client_id=roundtable-web")
                .contains("code_challenge=")
                .contains("code_challenge_method=S256");
    }

    @Test
    void shouldShowTheLandingPageToAGuest() {
        Document page = Jsoup.parse(given().get("/").then().statusCode(200).extract().asString());
        assertThat(page.select("h1").text()).contains("school leaders");
        assertThat(page.select("header .nav-login").attr("href")).isEqualTo("/login");
        assertThat(page.select("main#main")).hasSize(1);
    }

    @Test
    void shouldSendAStrictContentSecurityPolicyAndSecurityHeaders() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin");
    }

    @Test
    void shouldServeHealthAndMetricsAndOpenApiOnTheManagementPort() {
        given().get(Management.url("/q/health/ready")).then().statusCode(200).body(containsString("UP"));
        given().get(Management.url("/q/health/live")).then().statusCode(200).body(containsString("UP"));
        given().get(Management.url("/q/metrics")).then().statusCode(200).body(containsString("http_server"));
        given().get(Management.url("/q/openapi")).then().statusCode(200).body(containsString("/api/me"));
    }

    @Test
    void shouldAnswerNotFoundToQuarkusEndpointsOnThePublicPort() {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi",
                "/q/openapi?format=json", "/q/swagger-ui", "/q")) {
            Response response = given().redirects().follow(false).get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.asString()).as(path).doesNotContain("http_server").doesNotContain("/api/me")
                    .doesNotContain("\"checks\"");
        }
        // The Dev UI is denied to everyone in every profile (PageSecurityTest): a guest is asked to log in, and gets nothing.
        Response devUi = given().redirects().follow(false).get("/q/dev-ui");
        assertThat(devUi.statusCode()).isEqualTo(302);
        assertThat(devUi.header("Location")).contains("/protocol/openid-connect/auth");
    }

    @Test
    void shouldAnswerAnUnknownPublicStaticFileWithAnHtml404() {
        given().get("/static/no-such-file.css").then().statusCode(404)
                .contentType(startsWith("text/html"))
                .body(containsString("Not found"));
    }
}
