package org.roundtable.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Housekeeping: how often, and how long expired rows are kept (docs/operations.md, "Housekeeping"). */
@ConfigMapping(prefix = "roundtable.housekeeping")
public interface HousekeepingConfig {

    /** Whether this instance takes part (every instance may: one of them runs each period). */
    @WithDefault("true")
    boolean scheduled();

    /** How often an instance looks whether a run is due (the scheduler reads {@code roundtable.housekeeping.check-every}). */
    @WithDefault("10m")
    String checkEvery();

    /** At most one run per this period, across all instances. */
    @WithDefault("1h")
    Duration every();

    /** Rate-limit counters (named and anonymous) older than this are removed: their longest window is a day. */
    @WithDefault("2D")
    Duration keepCounters();

    /** Idempotency keys of composers older than this are removed: a repeated submit comes within minutes. */
    @WithDefault("2D")
    Duration keepIdempotencyKeys();

    /** Cohort invitations this long past their expiry are removed, whatever became of them. */
    @WithDefault("7D")
    Duration keepExpiredInvitations();
}
