package org.roundtable.db;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The reactive pool as Quarkus configures it (application.properties: size, session settings, prepared statements
 * kept per connection), with one change Quarkus has no property for: the longest statement a connection keeps
 * prepared, {@link #STATEMENT_CACHE_SQL_LIMIT} characters instead of the Vert.x default of 2,048.
 *
 * <p>Why: a statement longer than the limit is not kept, so every run of it is parsed and planned again (with
 * {@code plan_cache_mode=force_generic_plan}, a generic plan made for each run). The thread page's head statement grew
 * past 2,048 characters with Guardian's predicates (2,405), and planning it on every view doubled the PostgreSQL time
 * of the page (docs/benchmarks.md, "Issue 21"). {@link Database} counts the statements it sends that are longer than
 * the limit, so that a test can see a hot page's statement fall out of the cache again.
 */
@Singleton
public class PoolSettings implements PgPoolCreator {

    /** The longest SQL text (characters) a pooled connection keeps as a prepared statement. */
    public static final int STATEMENT_CACHE_SQL_LIMIT = 16_384;

    @Override
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT);
        }
        return PgBuilder.pool().with(input.poolOptions())
                .connectingTo(new java.util.ArrayList<io.vertx.sqlclient.SqlConnectOptions>(input.pgConnectOptionsList()))
                .using(input.vertx()).build();
    }
}
