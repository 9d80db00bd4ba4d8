package org.roundtable.insight;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The precomputed figures of the insight pages' closed weeks (docs/insights.md "Cost", docs/operations.md). */
@ConfigMapping(prefix = "roundtable.insight")
public interface InsightConfig {

    /** Whether this instance takes part in the refresh (every instance may: each closed week is computed by one). */
    @WithDefault("true")
    boolean scheduled();

    /** How often an instance looks for closed weeks to compute (the scheduler reads {@code roundtable.insight.check-every}). */
    @WithDefault("10m")
    String checkEvery();

    /**
     * A closed week's figures are computed again once they are this old: a hide, delete, restore or move of a post or
     * thread in a closed week, a late first reply or an accepted answer shows on the pages within this period (plus
     * {@link #checkEvery()}).
     */
    @WithDefault("1h")
    Duration refreshEvery();
}
