package org.roundtable.security;

import java.time.OffsetDateTime;

/**
 * Why the viewer may not write somewhere, for a page to say in place of the forms that would refuse them: their account
 * is suspended (by an admin), they are silenced in the cohort (by its facilitators), or their pseudonym is blocked in
 * the thread (by its facilitators, who do not know who it is). {@code reason} is what the person who did it gave (may
 * be null for a pseudonym block); {@code until} is when it ends, null when it lasts until it is lifted. The decisions
 * stay in {@link Guardian} (requireCanWrite, ensureNotSilenced, ensureCanReply): this only tells.
 */
public record ReadOnly(Kind kind, String reason, OffsetDateTime until) {

    public enum Kind {
        SUSPENDED, SILENCED, BLOCKED
    }

    /** The viewer's suspension, or null when they are not suspended. */
    public static ReadOnly suspension(Viewer viewer) {
        return viewer.isSuspended() ? new ReadOnly(Kind.SUSPENDED, viewer.suspensionReason(), finite(viewer.suspendedUntil()))
                : null;
    }

    /**
     * The first of: the viewer's suspension, their silence in the cohort ({@code silencedReason} non-null, until
     * {@code silencedUntil}), their pseudonym's block in the thread ({@code blocked}, with its reason); null when none.
     */
    public static ReadOnly of(Viewer viewer, String silencedReason, OffsetDateTime silencedUntil, boolean blocked,
            String blockReason) {
        ReadOnly suspension = suspension(viewer);
        if (suspension != null) {
            return suspension;
        }
        if (silencedReason != null) {
            return new ReadOnly(Kind.SILENCED, silencedReason, finite(silencedUntil));
        }
        return blocked ? new ReadOnly(Kind.BLOCKED, blockReason, null) : null;
    }

    /** PostgreSQL's 'infinity' (read as a far-off time) is "until lifted": null. */
    private static OffsetDateTime finite(OffsetDateTime until) {
        return until == null || until.getYear() > 9000 ? null : until;
    }

    /** One sentence for people: what holds them back. */
    public String sentence() {
        return switch (kind) {
            case SUSPENDED -> "Your account is suspended: you can read, and post, react or flag nothing.";
            case SILENCED -> "A facilitator of this cohort has made you read-only here: you can read its channels, and post or react nothing in them.";
            case BLOCKED -> "A facilitator has blocked you from posting in this thread. Nobody, the facilitators included, knows who you are.";
        };
    }

    /** "suspended", "silenced" or "blocked": for pages' markup. */
    public String name() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether reactions are refused too (a block in a thread refuses posting only). */
    public boolean refusesReactions() {
        return kind != Kind.BLOCKED;
    }

    /** Whether flags are refused too (only a suspension refuses them). */
    public boolean refusesFlags() {
        return kind == Kind.SUSPENDED;
    }
}
