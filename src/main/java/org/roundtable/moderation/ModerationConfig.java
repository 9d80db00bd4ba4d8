package org.roundtable.moderation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Moderation and rate limits (docs/operations.md). */
@ConfigMapping(prefix = "roundtable.moderation")
public interface ModerationConfig {

    /** Flags from this many distinct members hide a post pending review (a channel may set its own). */
    @WithDefault("3")
    int flagThreshold();

    Limits limits();

    interface Limits {
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
}
