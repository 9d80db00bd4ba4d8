package org.roundtable.thread;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.roundtable.text.TextRules;
import org.roundtable.problem.DomainException;

/** What a thread or a post must look like, with messages a person can act on. */
public final class PostRules {

    public static final int TITLE_MIN = 5;
    public static final int TITLE_MAX = 200;
    public static final int BODY_MAX = 50_000;
    public static final int TAGS_MAX = 5;
    private static final Pattern TAG = Pattern.compile("[a-z0-9-]{1,30}");

    private PostRules() {
    }

    /**
     * Text as it is stored: NUL cannot be stored in PostgreSQL text, and CommonMark replaces it with U+FFFD anyway;
     * line breaks are normalised.
     */
    public static String clean(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD').replace("\r\n", "\n");
    }

    /** Tags from a form field: separated by commas or spaces, lower-cased, duplicates dropped. */
    public static List<String> parseTags(String field) {
        if (field == null || field.isBlank()) {
            return List.of();
        }
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (String tag : field.split("[,\\s]+")) {
            if (!tag.isBlank()) {
                tags.add(tag.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return List.copyOf(tags);
    }

    public static List<String> normalizeTags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        tags.forEach(t -> out.add(t == null ? "" : t.trim().toLowerCase(java.util.Locale.ROOT)));
        return new ArrayList<>(out);
    }

    /** A title as it is stored: invisible characters at its ends removed ({@link TextRules#strip}). */
    public static String title(String title) {
        return title == null ? "" : TextRules.strip(title);
    }

    /**
     * Refuses a thread that breaks the rules, with a message per field: a title of one line with {@value #TITLE_MIN} to
     * {@value #TITLE_MAX} characters, not only invisible ones ({@link TextRules}); a body ({@link #checkBody}); valid tags.
     */
    public static void checkThread(String title, String body, List<String> tags) {
        Map<String, String> errors = new LinkedHashMap<>();
        String t = title(title);
        if (TextRules.hasLineBreakOrControl(title)) {
            errors.put("title", "The title must be one line: it has a line break, a tab or another control character.");
        } else if (t.isEmpty() && title != null && !title.isEmpty()) {
            // something was typed, and none of it shows (U+200B, U+00A0, U+3164 ...)
            errors.put("title", "The title needs " + TITLE_MIN + " to " + TITLE_MAX
                    + " characters, and has none that show: only spaces or invisible characters.");
        } else if (t.length() < TITLE_MIN || t.length() > TITLE_MAX) {
            errors.put("title", "The title needs " + TITLE_MIN + " to " + TITLE_MAX + " characters (it has " + t.length() + ").");
        }
        bodyError(body).ifPresent(e -> errors.put("body", e));
        if (tags.size() > TAGS_MAX) {
            errors.put("tags", "At most " + TAGS_MAX + " tags (you gave " + tags.size() + ").");
        } else {
            tags.stream().filter(tag -> !TAG.matcher(tag).matches()).findFirst().ifPresent(bad -> errors.put("tags",
                    "Tag \"" + bad + "\" is not valid: use 1 to 30 lower-case letters, digits or hyphens."));
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
    }

    public static void checkBody(String body) {
        bodyError(body).ifPresent(e -> {
            throw DomainException.invalid(Map.of("body", e));
        });
    }

    private static java.util.Optional<String> bodyError(String body) {
        if (TextRules.isBlank(body)) {
            return java.util.Optional.of("Write something: the post is empty (or has only spaces or invisible characters).");
        }
        if (body.length() > BODY_MAX) {
            return java.util.Optional.of("The post is too long: at most " + BODY_MAX + " characters (it has " + body.length() + ").");
        }
        return java.util.Optional.empty();
    }
}
