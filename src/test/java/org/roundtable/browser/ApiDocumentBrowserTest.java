package org.roundtable.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Management;
import org.roundtable.support.Sessions;

/**
 * The API's description (issue 19): the OpenAPI document lists the JSON API only, and Swagger UI, whose page runs
 * inline scripts that the pages' strict CSP refuses, works on the management interface (never on the public port).
 */
@QuarkusTest
class ApiDocumentBrowserTest {

    @Test
    void shouldListOnlyApiRoutesInTheOpenApiDocument() {
        Response document = given().get(Management.url("/q/openapi?format=json"));
        assertThat(document.statusCode()).isEqualTo(200);
        Map<String, Object> paths = document.jsonPath().getMap("paths");
        assertThat(paths).containsKey("/api/me").containsKey("/api/search");
        List<String> notApi = new ArrayList<>();
        for (String path : paths.keySet()) {
            if (!path.equals("/api") && !path.startsWith("/api/")) {
                notApi.add(path);
            }
        }
        assertThat(notApi).as("paths of the OpenAPI document outside /api").isEmpty();
    }

    @Test
    void shouldShowTheApiInSwaggerUiOnTheManagementPort() {
        Page page = Sessions.browser().newPage();
        List<String> refused = new ArrayList<>();
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                refused.add(message.text());
            }
        });
        try {
            page.navigate(Management.url("/q/swagger-ui/"));
            // Swagger UI draws the document's title and its operations with its scripts: none of it is in the HTML.
            page.locator(".swagger-ui .info .title").waitFor();
            assertThat(page.locator(".swagger-ui .info .title").textContent()).contains("Roundtable API");
            page.locator(".opblock-summary-path[data-path='/api/me']").first().waitFor();
            assertThat(refused).as("refusals of the Content-Security-Policy").isEmpty();
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(page, "swagger-ui");
            throw e;
        } finally {
            page.context().close();
        }
    }
}
