package org.roundtable.support;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Page sessions for HTTP-level page tests: a real login through Keycloak's form in chromium, whose app cookies
 * REST Assured then sends. One login per user per run.
 */
public final class Sessions {

    private static final Map<String, Map<String, String>> COOKIES = new ConcurrentHashMap<>();
    private static final Map<String, Long> LOGGED_IN_AT = new ConcurrentHashMap<>();
    /**
     * A kept session is replaced by a new login after this many seconds: its ID token lives 15 minutes, and the renewal
     * after that gives the browser a new cookie, which REST Assured's copy would not follow. A slow run stays right.
     */
    private static final long KEEP_SECONDS = 600;
    private static Browser browser;

    private Sessions() {
    }

    public static synchronized Map<String, String> cookies(String username) {
        long now = System.nanoTime() / 1_000_000_000L;
        Long at = LOGGED_IN_AT.get(username);
        if (at == null || now - at > KEEP_SECONDS) {
            COOKIES.put(username, logIn(username));
            LOGGED_IN_AT.put(username, now);
        }
        return COOKIES.get(username);
    }

    /** The run's one browser (started on first use, closed when the JVM ends): tests that need many pages share it. */
    public static synchronized Browser browser() {
        if (browser == null) {
            browser = new Browser();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> browser.close()));
        }
        return browser;
    }

    private static Map<String, String> logIn(String username) {
        Page page = browser().newPage();
        try {
            Browser.logIn(page, "/me", username);
            Map<String, String> cookies = new HashMap<>();
            for (Cookie cookie : page.context().cookies(Browser.appUrl())) {
                cookies.put(cookie.name, cookie.value);
            }
            return cookies;
        } finally {
            page.context().close();
        }
    }
}
