package org.roundtable.anonymity;

import java.security.SecureRandom;

/**
 * Ids of what an anonymous author writes: their threads and posts, and the notifications and revisions their acts
 * cause. A sequence hands out ids in the order things happen, so an anonymous post's id would lie between the ids of
 * named posts whose times are exact. These ids are drawn at random from [2^52, 2^53) instead, a space the sequences of
 * named rows never reach (the migration caps them below 2^52): an anonymous id says nothing of when it was made, and
 * stays exact in JavaScript. Two draws collide with a chance of about n / 2^52 for n anonymous rows of the table (one in
 * 4.5 billion with a million of them); the primary key refuses the second, and the writer sends again.
 */
public final class AnonymousIds {

    /** The first id of the anonymous space; every named id is below it. */
    public static final long FIRST = 1L << 52;

    private static final SecureRandom RANDOM = new SecureRandom();

    private AnonymousIds() {
    }

    /** A new id in [2^52, 2^53), from a strong random source (its outputs tell nothing of the next or the last). */
    public static long next() {
        return FIRST + RANDOM.nextLong(FIRST);
    }

    /** Whether an id belongs to the anonymous space. */
    public static boolean anonymous(long id) {
        return id >= FIRST;
    }
}
