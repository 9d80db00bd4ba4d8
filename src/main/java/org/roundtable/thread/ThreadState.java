package org.roundtable.thread;

import java.util.Map;
import org.roundtable.problem.DomainException;

/**
 * The states a facilitator sets on a thread and clears again, each a timestamp column of {@code thread} (null: not in
 * that state): locked (no replies), pinned (first in its channel), closed (no replies, the question settled).
 */
public enum ThreadState {
    LOCKED("locked", "locked_at", "lock"),
    PINNED("pinned", "pinned_at", "pin"),
    CLOSED("closed", "closed_at", "close");

    private final String code;
    private final String column;
    private final String verb;

    ThreadState(String code, String column, String verb) {
        this.code = code;
        this.column = column;
        this.verb = verb;
    }

    /** What forms send ("locked", "pinned", "closed"). */
    public String code() {
        return code;
    }

    /** The column of {@code thread} that holds when the state was set. */
    public String column() {
        return column;
    }

    /** The audit action's verb: "thread.lock", "thread.unlock", ... */
    public String verb() {
        return verb;
    }

    /** The state a form sent; anything else is refused (400 on "state"). */
    public static ThreadState of(String code) {
        for (ThreadState state : values()) {
            if (state.code.equals(code)) {
                return state;
            }
        }
        throw DomainException.invalid(Map.of("state", "Choose locked, pinned or closed."));
    }
}
