package org.roundtable.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Rate limits of named actions (docs/operations.md, under {@code roundtable.moderation.limits}, where they always were). */
@ConfigMapping(prefix = "roundtable.moderation.limits")
public interface RateLimitConfig {

    /** Posts (threads and replies under one's name) per member per minute. */
    @WithDefault("10")
    int postsPerMinute();

    /** Posts per member per day. */
    @WithDefault("200")
    int postsPerDay();

    /** Flags per member per day. */
    @WithDefault("20")
    int flagsPerDay();

    /** New threads per day for members in their first days. */
    @WithDefault("3")
    int newMemberThreadsPerDay();

    /** How many days a member counts as new. */
    @WithDefault("7")
    int newMemberDays();
}
