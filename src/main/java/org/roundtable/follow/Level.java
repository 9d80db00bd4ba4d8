package org.roundtable.follow;

import java.util.Locale;
import java.util.Map;
import org.roundtable.problem.DomainException;

/** How closely a member follows a thread, channel or tag (Discourse's notification levels). */
public enum Level {
    /** Out of the digest (replies to the member too) and unread counts, no watchers' notifications; replies and mentions still notify. */
    muted("Muted", "Nothing in your digest, no unread count, no notice of new posts; replies to you and mentions still notify you."),
    /** The default: nothing beyond replies to you and mentions. */
    normal("Normal", "Notifications of replies to you and mentions; replies to you in your digest."),
    /** New threads (of a channel or tag), and the new posts of a thread you take part in, in your digest. */
    tracking("Tracking", "New threads, and replies to you, in your digest."),
    /** Every new post in your digest, and a notification for each new thread. */
    watching("Watching", "Every new post in your digest, and a notification for each new post or thread.");

    public final String label;
    public final String explanation;

    Level(String label, String explanation) {
        this.label = label;
        this.explanation = explanation;
    }

    public String value() {
        return name();
    }

    public static Level parse(String value) {
        if (value != null) {
            try {
                return valueOf(value.strip().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // refused below with the allowed values
            }
        }
        throw DomainException.invalid(Map.of("level", "Choose one of watching, tracking, normal or muted."));
    }
}
