package org.roundtable.follow;

import java.util.Map;
import java.util.regex.Pattern;
import org.roundtable.problem.DomainException;

/** What is followed: a thread (by id), a channel (by slug) or a tag. */
public record Target(Kind kind, Long threadId, String channelSlug, String tag) {

    public enum Kind {
        thread, channel, tag
    }

    private static final Pattern TAG = Pattern.compile("[a-z0-9-]{1,30}");

    public static Target thread(long id) {
        return new Target(Kind.thread, id, null, null);
    }

    public static Target channel(String slug) {
        return new Target(Kind.channel, null, slug, null);
    }

    /** Tags are stored lower case, as threads store them. */
    public static Target tag(String tag) {
        String t = tag == null ? "" : tag.strip().toLowerCase(java.util.Locale.ROOT);
        if (!TAG.matcher(t).matches()) {
            throw DomainException.invalid(Map.of("tag", "A tag is 1 to 30 lower-case letters, digits or hyphens."));
        }
        return new Target(Kind.tag, null, null, t);
    }

    /** The page the target lives on, where a form sends the member back. */
    public String page() {
        return switch (kind) {
            case thread -> "/threads/" + threadId;
            case channel -> "/channels/" + channelSlug;
            case tag -> "/tags/" + tag;
        };
    }
}
