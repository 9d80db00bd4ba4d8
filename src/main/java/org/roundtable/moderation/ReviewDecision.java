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
    KEEP("keep", "kept: the facilitators found nothing to act on",
            "Kept: the flags are cleared and the post is shown as it was. The members who flagged it are told."),
    HIDE("hide", "hidden by a facilitator",
            "Hidden: members no longer see the post. Its author is told why; the members who flagged it are told the outcome."),
    /** Through the thread feature's one write of edits; never an anonymous post. */
    EDIT("edit", "edited by a facilitator",
            "Edited: the post shows your text, and its history keeps the old one. The members who flagged it are told."),
    DELETE("delete", "deleted by a facilitator",
            "Deleted: the post is gone for members. Its author is told why; the members who flagged it are told the outcome."),
    /** Publish a post held for approval. */
    APPROVE("approve", null, "Approved: the post is published in its thread."),
    /** Refuse a post held for approval: it is deleted, never published. */
    REJECT("reject", null, "Rejected: the post will never be published. Its author is told why.");

    private final String code;
    /** What the flaggers are told happened to the post ("A post you flagged was …"); null: not a decision on flags. */
    private final String outcome;

    /** What the facilitator is told on the review queue once their decision is made. */
    private final String done;

    ReviewDecision(String code, String outcome, String done) {
        this.code = code;
        this.outcome = outcome;
        this.done = done;
    }

    /**
     * The sentence the review queue shows after the decision {@code code} (the page's {@code decided} parameter); null
     * for anything that is not a decision's code (the page then says nothing of it).
     */
    static String done(String code) {
        for (ReviewDecision decision : values()) {
            if (decision.code.equals(code)) {
                return decision.done;
            }
        }
        return null;
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
