package org.roundtable.anonymity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The undiscussables' settings (docs/security/anonymity.md). */
@ConfigMapping(prefix = "roundtable.anonymity")
public interface AnonymityConfig {

    /**
     * The secret behind every pseudonym (HMAC-SHA256 key), at least 32 bytes as hex or base64. Required in
     * production; never stored in the database. Rotating it gives every anonymous author new pseudonyms.
     */
    Optional<String> key();

    /** Anonymous posting needs an audience of at least this many members. */
    @WithDefault("8")
    int minAudience();

    /** How far back "someone replied to your anonymous post" looks (days). */
    @WithDefault("90")
    int replyLookbackDays();

    /** Anonymous posts (threads and replies) per member per hour, counted under a keyed hash. */
    @WithDefault("10")
    int postsPerHour();
}
