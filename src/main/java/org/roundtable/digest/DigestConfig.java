package org.roundtable.digest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Digests and mention mails (docs/operations.md, "Mail"). */
@ConfigMapping(prefix = "roundtable.digest")
public interface DigestConfig {

    /** What members who never chose get: off, daily or weekly. Changing it reaches all of them at once. */
    @WithDefault("weekly")
    Frequency defaultFrequency();

    /** Whether this instance runs the digest and mention-mail jobs on their schedule (tests drive them by hand). */
    @WithDefault("true")
    boolean scheduled();

    /** How often the digest job looks for due digests (the scheduler reads it as {@code roundtable.digest.every}). */
    @WithDefault("60s")
    String every();

    /** How often mention mails go out. */
    @WithDefault("30s")
    String mentionEvery();

    /**
     * Workers per instance and run: each claims batches of its own (a database connection each), so that one builds
     * while another renders and sends.
     */
    @WithDefault("2")
    int workers();

    /** Members per batch: one claim and a fixed number of content queries per batch. */
    @WithDefault("200")
    int batchSize();

    /** How long a claimed batch stays with its worker without a heartbeat before another worker takes it over. */
    @WithDefault("2M")
    Duration lease();

    /**
     * The wait before a failed mail (SMTP unreachable, the mail refused) is tried again; it doubles with each try, up to
     * 15 minutes (5 s, 10 s, 20 s, ...). Digests and mention mails alike.
     */
    @WithDefault("5s")
    Duration retryAfter();

    /**
     * Tries of one mail before it is marked failed (digest status 'failed', mention_mail_retry.failed_at), for an admin
     * to see and send again (GET and POST /api/mail/failures). The default 8 covers about 10 minutes of SMTP outage.
     */
    @WithDefault("8")
    int maxAttempts();

    /** Items shown per digest (the rest is counted: "and 12 more"). */
    @WithDefault("40")
    int maxItems();

    /**
     * Conversations a digest takes from one followed channel or tag (its most recently active ones): a channel that is
     * busy this week does not crowd out everything else a member follows, and the build stays cheap.
     */
    @WithDefault("10")
    int perFollow();

    /** How long the unsubscribe link of a digest works. */
    @WithDefault("60D")
    Duration unsubscribeLinkTtl();

    /** Digest history older than this is deleted by housekeeping (the latest period of each member is always newer). */
    @WithDefault("60D")
    Duration keepHistory();

    enum Frequency {
        off, daily, weekly;

        public static Frequency parse(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return valueOf(value.strip().toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
