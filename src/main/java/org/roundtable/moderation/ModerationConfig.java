package org.roundtable.moderation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Moderation (docs/operations.md); the rate limits under {@code roundtable.moderation.limits} are ratelimit/RateLimitConfig. */
@ConfigMapping(prefix = "roundtable.moderation")
public interface ModerationConfig {

    /** Flags from this many distinct members hide a post pending review (a channel may set its own). */
    @WithDefault("3")
    int flagThreshold();
}
