package org.roundtable.search;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.roundtable.problem.DomainException;

/**
 * A search as typed, read the way Discourse reads its search box: words (handed to PostgreSQL's
 * {@code websearch_to_tsquery}, so "quoted phrases", {@code or} and {@code -word} work) and filters among them.
 * Filters: {@code #tag}, {@code in:channel-slug}, {@code in:following}, {@code cohort:slug}, {@code @username} (posts
 * written under that name; never an anonymous post), {@code status:solved|unanswered|open|locked},
 * {@code before:YYYY-MM-DD}, {@code after:YYYY-MM-DD}, {@code order:latest|relevance}. A filter that is unknown, or has a
 * value it does not take, is explained ({@link #notices()}) and nothing is searched (a search without it could find what
 * it was meant to leave out: {@code author:alice}); everything else, operators and punctuation included, is searched as
 * text. Inside quotes nothing is a filter.
 *
 * @param words the text to match, null when there is none
 * @param tags every {@code #tag} (a thread must carry all of them), lower case
 * @param channel the {@code in:} channel slug, or null
 * @param following {@code in:following}: threads the viewer watches or tracks (their own level, or their channel's or a tag's)
 * @param cohort the {@code cohort:} slug, or null
 * @param author the {@code @username}, or null
 * @param status solved, unanswered, open, locked, or null
 * @param before posts written before this day (UTC), or null
 * @param after posts written on this day (UTC) or later, or null
 * @param latest order by the date of the matching post rather than by relevance
 * @param notices the parts of the query that were refused and why, for the page to say (nothing is searched then)
 */
public record SearchQuery(String raw, String words, List<String> tags, String channel, boolean following, String cohort,
        String author, String status, LocalDate before, LocalDate after, boolean latest, List<String> notices) {

    /** Longer queries are refused (400), with this limit in the message. */
    public static final int MAX_LENGTH = 500;

    public static final List<String> STATUSES = List.of("solved", "unanswered", "open", "locked");

    private static final Pattern FILTER = Pattern.compile("([A-Za-z_]+):(.+)");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,255}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<String> KNOWN = Set.of("in", "cohort", "status", "before", "after", "order");
    private static final Set<String> AUTHOR_WORDS = Set.of("author", "user", "by", "from", "username", "poster", "member");
    private static final String QUOTE = " To search for \"%s\" as words, put it in quotes.";

    /**
     * Reads a query. Takes any text (null is the empty query); refuses (400) only a query over {@value #MAX_LENGTH}
     * characters. Never fails on its content.
     */
    public static SearchQuery parse(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            throw DomainException.badRequest("Search for at most " + MAX_LENGTH + " characters: a few words find more"
                    + " than a paragraph.");
        }
        StringBuilder words = new StringBuilder();
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        List<String> notices = new ArrayList<>();
        String channel = null;
        String cohort = null;
        String author = null;
        String status = null;
        LocalDate before = null;
        LocalDate after = null;
        Boolean latest = null;
        boolean following = false;
        for (Token token : tokens(text)) {
            String t = token.text();
            if (token.quoted()) {
                append(words, t);
                continue;
            }
            if (t.length() > 1 && t.startsWith("#")) {
                String tag = t.substring(1).toLowerCase(Locale.ROOT);
                tags.add(tag);
                continue;
            }
            if (t.length() > 1 && t.startsWith("@")) {
                String name = t.substring(1);
                if (USERNAME.matcher(name).matches()) {
                    author = name;
                } else {
                    notices.add("\"" + t + "\" is not a member's name: @ takes a username, as in @alice." + QUOTE.formatted(t));
                }
                continue;
            }
            Matcher filter = FILTER.matcher(t);
            if (!filter.matches()) {
                append(words, t);
                continue;
            }
            String key = filter.group(1).toLowerCase(Locale.ROOT);
            String value = filter.group(2);
            String lower = value.toLowerCase(Locale.ROOT);
            if (!KNOWN.contains(key)) {
                notices.add("\"" + key + ":\" is not a filter." + (AUTHOR_WORDS.contains(key)
                        ? " To find posts written under a name, use @username (a post written anonymously is never"
                                + " found by its author)."
                        : " The filters are #tag, in:channel, in:following, cohort:name, @username, status:, before:,"
                                + " after: and order:.") + QUOTE.formatted(t));
                continue;
            }
            switch (key) {
                case "in" -> {
                    if (lower.equals("following")) {
                        following = true;
                    } else if (SLUG.matcher(lower).matches()) {
                        channel = lower;
                    } else {
                        notices.add("\"" + t + "\" names no channel: in: takes a channel's address (as in"
                                + " /channels/budget-2026) or \"following\"." + QUOTE.formatted(t));
                    }
                }
                case "cohort" -> {
                    if (SLUG.matcher(lower).matches()) {
                        cohort = lower;
                    } else {
                        notices.add("\"" + t + "\" names no cohort: cohort: takes a cohort's address (as in"
                                + " /cohorts/leaders-2026)." + QUOTE.formatted(t));
                    }
                }
                case "status" -> {
                    if (STATUSES.contains(lower)) {
                        status = lower;
                    } else {
                        notices.add("\"" + t + "\": status: takes solved, unanswered, open or locked." + QUOTE.formatted(t));
                    }
                }
                case "before", "after" -> {
                    LocalDate day = day(value);
                    if (day == null) {
                        notices.add("\"" + t + "\": " + key + ": takes a day written YYYY-MM-DD, as in " + key
                                + ":2026-09-01." + QUOTE.formatted(t));
                    } else if (key.equals("before")) {
                        before = day;
                    } else {
                        after = day;
                    }
                }
                case "order" -> {
                    if (lower.equals("latest")) {
                        latest = true;
                    } else if (lower.equals("relevance")) {
                        latest = false;
                    } else {
                        notices.add("\"" + t + "\": order: takes latest or relevance." + QUOTE.formatted(t));
                    }
                }
                default -> throw new IllegalStateException(key);
            }
        }
        String w = words.toString().strip();
        boolean hasWords = w.codePoints().anyMatch(Character::isLetterOrDigit);
        return new SearchQuery(text, hasWords ? w : null, List.copyOf(tags), channel, following, cohort, author, status,
                before, after, latest != null ? latest : !hasWords, List.copyOf(notices));
    }

    /**
     * Whether there is a search to run: no part of the query was refused ({@link #notices()}: an unknown filter is not
     * guessed at, since searching without it could find what it meant to leave out), and there are words, or at least
     * one filter that narrows the search to a part of the forum.
     */
    public boolean searchable() {
        return notices.isEmpty() && (words != null || !tags.isEmpty() || channel != null || following || cohort != null || author != null);
    }

    public boolean isEmpty() {
        return raw.isEmpty();
    }

    private static LocalDate day(String value) {
        if (!DATE.matcher(value).matches()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value);
            return day.getYear() >= 1 ? day : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void append(StringBuilder words, String text) {
        if (!words.isEmpty()) {
            words.append(' ');
        }
        words.append(text);
    }

    private record Token(String text, boolean quoted) {
    }

    /** Splits on white space; a quoted part ("lunch duty") is one token, kept with its quotes for websearch_to_tsquery. */
    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '"') {
                int end = text.indexOf('"', i + 1);
                end = end < 0 ? n : end + 1;
                tokens.add(new Token(text.substring(i, end), true));
                i = end;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') {
                    i++;
                }
                tokens.add(new Token(text.substring(start, i), false));
            }
        }
        return tokens;
    }
}
