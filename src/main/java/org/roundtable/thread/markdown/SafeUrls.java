package org.roundtable.thread.markdown;

import java.util.Locale;

/**
 * The single allow-list for URLs that may end up in a rendered post's {@code href}.
 *
 * <p>Allowed: {@code http:}, {@code https:}, {@code mailto:}, site-relative paths starting with
 * {@code /} and fragment links starting with {@code #}. Everything else (other schemes, bare
 * relative paths, empty values, anything containing control characters) is rejected: default deny,
 * so entity/whitespace/control-character tricks in a scheme never match an allowed prefix.
 */
final class SafeUrls {

    private SafeUrls() {
    }

    /** The URL to emit (surrounding whitespace trimmed), or {@code null} when it is not allowed. */
    static String clean(String url) {
        if (url == null) {
            return null;
        }
        String s = url.strip();
        if (s.isEmpty() || s.length() > 2048) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isWhitespace(c)) {
                return null;
            }
        }
        if (s.startsWith("/") || s.startsWith("#")) {
            return s;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("mailto:")) {
            return s;
        }
        return null;
    }

    static boolean isAllowed(String url) {
        return clean(url) != null;
    }
}
