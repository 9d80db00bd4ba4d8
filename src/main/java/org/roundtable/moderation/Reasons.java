package org.roundtable.moderation;

import java.util.LinkedHashMap;
import java.util.Map;
import org.roundtable.problem.DomainException;
import org.roundtable.text.TextRules;

/** The reasons facilitators and admins give, as they are recorded. */
final class Reasons {

    private Reasons() {
    }

    /**
     * A reason as it is recorded (audit log, hidden posts, suspensions): one line ({@link TextRules}), without invisible
     * ends; null when nothing of it shows. A reason with a line break or another control character is refused (400 on
     * "reason").
     */
    static String reason(String raw) {
        Map<String, String> errors = new LinkedHashMap<>();
        String reason = TextRules.oneLineField(errors, "reason", "the reason", raw, false);
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return reason;
    }

    /** The longest reason kept for removing a thread. */
    public static final int MAX_REASON = 500;

    /** The reason for a removal: required to remove (400 without one), optional to show again; stripped. */
    static String removalReason(String reason, boolean required) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why == null && required) {
            throw DomainException.invalid(Map.of("reason",
                    "Give the reason: it is recorded in the audit log with the removal."));
        }
        if (why != null && why.length() > MAX_REASON) {
            throw DomainException.invalid(Map.of("reason",
                    "Keep the reason under " + MAX_REASON + " characters (it has " + why.length() + ")."));
        }
        return why;
    }

}
