package org.roundtable.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way features reach PostgreSQL on the request path: prepared statements on the reactive pool, counted, so
 * that "a page runs a fixed number of statements" is something a test can check (roundtable_db_statements_total).
 */
@ApplicationScoped
public class Database {

    private final Pool pool;
    private final Counter statements;
    private final Counter uncached;

    public Database(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.statements = Counter.builder("roundtable.db.statements")
                .description("SQL statements the app sent to PostgreSQL").register(registry);
        this.uncached = Counter.builder("roundtable.db.statements.uncached")
                .description("SQL statements too long for the connections to keep prepared (planned on every run)")
                .register(registry);
    }

    public long statementCount() {
        return (long) statements.count();
    }

    /**
     * How many statements sent so far were too long for the connections to keep prepared
     * ({@link PoolSettings#STATEMENT_CACHE_SQL_LIMIT} characters): each of those was parsed and planned on its run.
     */
    public long uncachedStatementCount() {
        return (long) uncached.count();
    }

    public Uni<RowSet<Row>> execute(String sql, Tuple params) {
        return execute(pool, sql, params);
    }

    public Uni<RowSet<Row>> execute(SqlClient client, String sql, Tuple params) {
        statements.increment();
        if (sql.length() > PoolSettings.STATEMENT_CACHE_SQL_LIMIT) {
            uncached.increment();
        }
        return client.preparedQuery(sql).execute(params);
    }

    public <T> Uni<List<T>> list(String sql, Tuple params, Function<Row, T> mapper) {
        return list(pool, sql, params, mapper);
    }

    public <T> Uni<List<T>> list(SqlClient client, String sql, Tuple params, Function<Row, T> mapper) {
        return execute(client, sql, params).map(rows -> {
            List<T> items = new ArrayList<>(rows.rowCount());
            rows.forEach(row -> items.add(mapper.apply(row)));
            return items;
        });
    }

    /** The first row mapped, or null when there is none. */
    public <T> Uni<T> one(String sql, Tuple params, Function<Row, T> mapper) {
        return one(pool, sql, params, mapper);
    }

    public <T> Uni<T> one(SqlClient client, String sql, Tuple params, Function<Row, T> mapper) {
        return execute(client, sql, params).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? mapper.apply(it.next()) : null;
        });
    }

    // ---- named parameters (#{name}): the statements that include Guardian's predicates, and any other

    public Uni<RowSet<Row>> execute(String sql, Params params) {
        return execute(pool, sql, params);
    }

    public Uni<RowSet<Row>> execute(SqlClient client, String sql, Params params) {
        NamedSql named = NamedSql.of(sql);
        return execute(client, named.sql(), named.bind(params));
    }

    public <T> Uni<List<T>> list(String sql, Params params, Function<Row, T> mapper) {
        return list(pool, sql, params, mapper);
    }

    public <T> Uni<List<T>> list(SqlClient client, String sql, Params params, Function<Row, T> mapper) {
        NamedSql named = NamedSql.of(sql);
        return list(client, named.sql(), named.bind(params), mapper);
    }

    /** The first row mapped, or null when there is none. */
    public <T> Uni<T> one(String sql, Params params, Function<Row, T> mapper) {
        return one(pool, sql, params, mapper);
    }

    public <T> Uni<T> one(SqlClient client, String sql, Params params, Function<Row, T> mapper) {
        NamedSql named = NamedSql.of(sql);
        return one(client, named.sql(), named.bind(params), mapper);
    }

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }
}
