package org.roundtable.moderation;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.roundtable.problem.DomainException;

/** Why a member flags a post; {@code code} is what forms send and {@code flag.reason} stores. */
public enum FlagReason {
    OFF_TOPIC("off-topic", "Off-topic"),
    INAPPROPRIATE("inappropriate", "Inappropriate"),
    SPAM("spam", "Spam"),
    NEEDS_FACILITATOR("needs-facilitator", "Needs a facilitator"),
    /** Needs a few words of the flagger's. */
    OTHER("other", "Something else");

    /** Code → label, in the order the flag form offers them. */
    public static final Map<String, String> LABELS = Collections.unmodifiableMap(Arrays.stream(values()).collect(
            LinkedHashMap::new, (map, r) -> map.put(r.code, r.label), Map::putAll));

    private final String code;
    private final String label;

    FlagReason(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** The reason a form or the API sent; anything else is refused (400 on "reason"). */
    public static FlagReason of(String code) {
        for (FlagReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw DomainException.invalid(Map.of("reason", "Choose a reason: " + String.join(", ", LABELS.keySet()) + "."));
    }
}
