package org.roundtable.db;

import io.vertx.pgclient.PgException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Failures that say "PostgreSQL cannot be reached just now", not "this request is wrong": the server refused, reset or
 * closed the connection, is shutting down or starting up (recovering after a crash), has no connection left for us, or
 * the pool waited too long for one. A request that met one of them changed nothing (its transaction never committed) and
 * can be sent again in a few seconds: the web layer answers 503 with Retry-After (web/ErrorMapper), readiness is down
 * (the datasource health check) and the pool opens new connections once the server is back.
 */
public final class Unavailable {

    /**
     * Seconds a client should wait before sending the request again (the one place of this value, sent by
     * web/ErrorMapper). Longer than the 2 of an instance that is only busy (web/AdmissionLimit): PostgreSQL restarting,
     * recovering or out of connection slots is out for seconds, not for the time of a few requests (1.6 s for a fast
     * restart, 11.5 s after a crash in the outage drill, docs/reliability.md), and every instance meets it alike, so
     * sending again sooner only adds refused requests; readiness is down meanwhile. docs/operations.md, "What a client
     * sees when Roundtable cannot answer".
     */
    public static final int RETRY_AFTER_SECONDS = 5;

    private Unavailable() {
    }

    /** True when {@code failure}, or one of its causes, is PostgreSQL being unreachable rather than a fault of ours. */
    public static boolean database(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                String state = pg.getSqlState() == null ? "" : pg.getSqlState();
                // 08: connection exception; 53300: too many connections; 57P01..57P03: admin shutdown, crash shutdown,
                // cannot connect now (starting up or in recovery)
                if (state.startsWith("08") || state.equals("53300") || state.startsWith("57P")) {
                    return true;
                }
                return false;
            }
            // SocketException: refused (ConnectException), reset by the server as it shuts down ("Connection reset by
            // peer", which Netty reports as its own AnnotatedSocketException, a SocketException), broken pipe
            if (t instanceof SocketException || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return true;
            }
            String name = t.getClass().getName();
            String message = t.getMessage() == null ? "" : t.getMessage();
            // Vert.x reports some of these as bare VertxExceptions (no type of their own)
            if (name.startsWith("io.vertx.") && (message.contains("Connection refused") || message.contains("Connection reset")
                    || message.equals("Connection closed") || message.contains("Timeout") || message.contains("closed"))) {
                return true;
            }
        }
        return false;
    }
}
