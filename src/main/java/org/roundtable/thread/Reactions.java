package org.roundtable.thread;

import java.util.LinkedHashMap;
import java.util.Map;
import org.roundtable.problem.DomainException;

/** The small fixed set of reactions: one of each per member per post. */
public final class Reactions {

    public static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("thanks", "Thanks");
        KINDS.put("plus-one", "+1");
        KINDS.put("insightful", "Insightful");
    }

    private Reactions() {
    }

    public static String check(String kind) {
        if (!KINDS.containsKey(kind)) {
            throw DomainException.badRequest("Unknown reaction \"" + kind + "\": use one of " + String.join(", ", KINDS.keySet()) + ".");
        }
        return kind;
    }
}
