package org.roundtable.moderation;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.roundtable.problem.DomainException;

/**
 * A facilitator's decision on an item of the review queue; {@code code} is what forms and the API send, what
 * {@code flag.resolution} stores and what the audit action names ("review." + code).
 */
public enum ReviewDecision {
    /** Clear the flags; a post hidden by flags is shown again. */
    KEEP("keep", "kept: the facilitators found nothing to act on"),
    HIDE("hide", "hidden by a facilitator"),
    /** Through the thread feature's one write of edits; never an anonymous post. */
    EDIT("edit", "edited by a facilitator"),
    DELETE("delete", "deleted by a facilitator"),
    /** Publish a post held for approval. */
    APPROVE("approve", null),
    /** Refuse a post held for approval: it is deleted, never published. */
    REJECT("reject", null);

    private final String code;
    /** What the flaggers are told happened to the post ("A post you flagged was …"); null: not a decision on flags. */
    private final String outcome;

    ReviewDecision(String code, String outcome) {
        this.code = code;
        this.outcome = outcome;
    }

    public String code() {
        return code;
    }

    String outcome() {
        return outcome;
    }

    /** The decision a form or the API sent; anything else is refused (400 on "action"). */
    public static ReviewDecision of(String code) {
        for (ReviewDecision decision : values()) {
            if (decision.code.equals(code)) {
                return decision;
            }
        }
        throw DomainException.invalid(Map.of("action", "Choose one of "
                + Arrays.stream(values()).map(ReviewDecision::code).collect(Collectors.joining(", ")) + "."));
    }
}
