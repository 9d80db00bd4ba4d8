package org.roundtable.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A person using the pages over HTTP: logged in once through Keycloak's form (Sessions), keeping cookies as a browser
 * does, reading pages with jsoup and submitting the forms as they are on the page (CSRF token included).
 */
public final class Pages {

    private static final Map<String, Map<String, String>> JARS = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, String>> LOGINS = new ConcurrentHashMap<>();

    private Pages() {
    }

    /**
     * The member's cookie jar: their login's cookies (Sessions) plus what the pages set since. When Sessions replaces
     * the login (it keeps one for 10 minutes, inside the ID token's 15), the jar starts again from the new one, so that
     * no request of a long or slow run carries a session whose ID token has expired and is renewed behind its back.
     */
    public static synchronized Map<String, String> cookies(String username) {
        Map<String, String> login = Sessions.cookies(username);
        if (LOGINS.get(username) != login) {
            LOGINS.put(username, login);
            JARS.put(username, new ConcurrentHashMap<>(login));
        }
        return JARS.get(username);
    }

    private static Response keep(String username, Response response) {
        cookies(username).putAll(response.getCookies());
        return response;
    }

    public static Response get(String username, String path) {
        return keep(username, given().cookies(new HashMap<>(cookies(username))).redirects().follow(false).get(path));
    }

    public static Document page(String username, String path) {
        Response response = get(username, path);
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return Jsoup.parse(response.asString());
    }

    /**
     * The CSRF token of the session behind these cookies, as its pages carry it ({@code meta[name=csrf-token]}, or
     * the field of the preferences form).
     */
    public static String csrfToken(Map<String, String> cookies) {
        Response page = given().cookies(new HashMap<>(cookies)).redirects().follow(false).get("/me");
        assertThat(page.statusCode()).as("GET /me for a CSRF token").isEqualTo(200);
        String token = Jsoup.parse(page.asString()).select("meta[name=csrf-token]").attr("content");
        if (token.isEmpty()) {
            token = Jsoup.parse(given().cookies(new HashMap<>(cookies)).redirects().follow(false).get("/preferences")
                    .asString()).select("form input[name=csrf-token]").attr("value");
        }
        assertThat(token).as("the CSRF token of a page").isNotEmpty();
        return token;
    }

    /** The CSRF token of the person's page session. */
    public static String csrfToken(String username) {
        return csrfToken(cookies(username));
    }

    /** Submits the form found by the selector with its fields as on the page, overridden by {@code fields}. */
    public static Response submit(String username, Document page, String formSelector, Map<String, String> fields) {
        Element form = page.selectFirst(formSelector);
        assertThat(form).as(formSelector).isNotNull();
        Map<String, String> data = new LinkedHashMap<>();
        for (Element input : form.select("input[name], textarea[name], select[name]")) {
            if (input.is("input[type=radio], input[type=checkbox]") && !input.hasAttr("checked")) {
                continue;
            }
            String value = input.is("textarea") ? input.val()
                    : input.is("select") ? input.select("option").stream().filter(o -> o.hasAttr("selected")).findFirst()
                            .orElse(input.selectFirst("option")).attr("value")
                    : input.attr("value");
            data.put(input.attr("name"), value);
        }
        data.putAll(fields);
        return keep(username, given().cookies(new HashMap<>(cookies(username))).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(data).post(form.attr("action")));
    }
}
