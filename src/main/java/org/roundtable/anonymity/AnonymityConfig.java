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

    /**
     * Anonymous posting needs an audience of at least this many members (K), counting only the members who make a
     * crowd: seen within {@link #crowdActiveDays()} and in the audience for {@link #crowdSeatedHours()}.
     */
    @WithDefault("8")
    int minAudience();

    /** A member counts in a crowd when they used Roundtable within this many days (dormant accounts do not). */
    @WithDefault("30")
    int crowdActiveDays();

    /**
     * A member counts in a crowd when they have been in the channel's audience (a member of the network, or of the
     * cohort) for this many hours: seats added just before a post do not make its crowd.
     */
    @WithDefault("72")
    int crowdSeatedHours();

    /**
     * Whether this instance rewrites, at each hour's end, the rows written during the hour in a random order
     * (anonymity/RowShuffle). Every instance may: they take turns through the database.
     */
    @WithDefault("true")
    boolean shuffleHourly();

    /** How far back "someone replied to your anonymous post" looks (days). */
    @WithDefault("90")
    int replyLookbackDays();

    /** Anonymous posts (threads and replies) per member per hour, counted under a keyed hash. */
    @WithDefault("10")
    int postsPerHour();
}
