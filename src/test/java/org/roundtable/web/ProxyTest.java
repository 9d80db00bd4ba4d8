package org.roundtable.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Behind a TLS-terminating proxy: the login redirect and the session cookies follow X-Forwarded-Proto and
 * X-Forwarded-Host when, and only when, the request comes from a trusted proxy (the test run trusts 127.0.0.1, as
 * production trusts its proxies' addresses). An untrusted client is a connection from 127.0.0.2, another loopback
 * address, so the same app answers both.
 */
@QuarkusTest
class ProxyTest {

    private static final Map<String, String> FORWARDED = Map.of("X-Forwarded-Proto", "https",
            "X-Forwarded-Host", "forum.example.org", "X-Forwarded-For", "203.0.113.7");

    @Test
    void shouldRedirectToAnHttpsAddressAndSetSecureCookiesBehindATrustedProxy() throws IOException {
        Answer answer = get("127.0.0.1", "/me", FORWARDED);

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.redirectUri()).isEqualTo("https://forum.example.org/me");
        assertThat(answer.loginCookies()).isNotEmpty().allSatisfy(cookie -> assertThat(secure(cookie)).as(cookie).isTrue());
    }

    @Test
    void shouldIgnoreForwardedHeadersFromAnUntrustedAddress() throws IOException {
        Answer answer = get("127.0.0.2", "/me", FORWARDED);

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.redirectUri()).isEqualTo("http://localhost:" + RestAssured.port + "/me");
        assertThat(answer.loginCookies()).isNotEmpty().allSatisfy(cookie -> assertThat(secure(cookie)).as(cookie).isFalse());
    }

    @Test
    void shouldKeepThePlainAddressWhenATrustedProxySaysNothing() throws IOException {
        Answer answer = get("127.0.0.1", "/me", Map.of());

        assertThat(answer.redirectUri()).isEqualTo("http://localhost:" + RestAssured.port + "/me");
        assertThat(answer.loginCookies()).isNotEmpty().allSatisfy(cookie -> assertThat(secure(cookie)).as(cookie).isFalse());
    }

    private static boolean secure(String setCookie) {
        for (String attribute : setCookie.split(";")) {
            if (attribute.strip().equalsIgnoreCase("secure")) {
                return true;
            }
        }
        return false;
    }

    record Answer(int status, List<String[]> headers) {
        String header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
        }

        /** The redirect_uri the app sends Keycloak, decoded. */
        String redirectUri() {
            Matcher m = Pattern.compile("[?&]redirect_uri=([^&]*)").matcher(header("Location"));
            assertThat(m.find()).as("redirect_uri in " + header("Location")).isTrue();
            return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        }

        /** The OIDC cookies set with the redirect (the state cookie of the code flow). */
        List<String> loginCookies() {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase("Set-Cookie") && h[1].startsWith("q_"))
                    .map(h -> h[1]).toList();
        }
    }

    /** One HTTP/1.1 GET to the app from the given loopback address, with the given extra headers. */
    private static Answer get(String from, String path, Map<String, String> extra) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), RestAssured.port,
                InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost:" + RestAssured.port
                    + "\r\nAccept: text/html\r\nConnection: close\r\n");
            extra.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\r\n\r\n", 2)[0];
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.add(new String[] {lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip()});
            }
            return new Answer(status, headers);
        }
    }
}
