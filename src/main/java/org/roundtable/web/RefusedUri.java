package org.roundtable.web;

import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code uri} tag of the requests refused before any route took them (load shedding's 503, a bad address's 400, a
 * body too large's 413) in Quarkus's {@code http_server_requests} metrics: the one value {@link #TAG}, whatever the
 * address. Without it such a request is tagged with its raw path, as sent: one new series per address (a refused
 * {@code /threads/4711}, or any text a client puts in an address), under Micrometer's registration lock, until the cap
 * on the tag's values ({@code quarkus.micrometer.binder.http-server.max-uri-tags}) is reached, after which the app's own
 * routes not yet seen get no series at all. The status tag still tells the refusals apart.
 */
public final class RefusedUri {

    /** The tag's value. */
    public static final String TAG = "/{refused}";

    /**
     * The local of the request's Vert.x context that Quarkus's HTTP metrics read a request's route template from (where
     * quarkus-rest puts the template of the resource method it matched).
     */
    static final String TEMPLATE_LOCAL = "UrlPathTemplate";

    private RefusedUri() {
    }

    /** Tags the request of {@code ctx} {@link #TAG}, unless a route has already given it its template. */
    public static void tag(RoutingContext ctx) {
        if (ctx.request() instanceof HttpServerRequestInternal request
                && request.context().getLocal(TEMPLATE_LOCAL) == null) {
            request.context().putLocal(TEMPLATE_LOCAL, TAG);
        }
    }
}
