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
    private static Browser browser;

    private Sessions() {
    }

    public static synchronized Map<String, String> cookies(String username) {
        return COOKIES.computeIfAbsent(username, Sessions::logIn);
    }

    private static Map<String, String> logIn(String username) {
        if (browser == null) {
            browser = new Browser();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> browser.close()));
        }
        Page page = browser.newPage();
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
