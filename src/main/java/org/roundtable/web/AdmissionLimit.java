package org.roundtable.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roundtable.problem.Problem;
import org.roundtable.security.Viewer;

/**
 * Load shedding: this instance works on at most {@code roundtable.http.max-in-flight} requests of the public port at
 * once (128; 0 turns the limit off). One more is answered at once, before its body is read or its session checked,
 * with 503 Service Unavailable and {@code Retry-After} (RFC 9110, 15.6.4 and 10.2.3), in problem+json under
 * {@code /api} and as a short page elsewhere; nothing of it was done, so it can be sent again as it is.
 *
 * <p>Why: a request the app has started holds its rows and its page in the heap until it is sent (about 150–200 KB for
 * a thread page of 50 posts). Offered more than it can serve, an instance without a bound started more and more of them:
 * at 200 thread pages a second on 2 cores (its peak is about 220 with nothing else on the machine) the 200 MiB heap
 * filled with ~550 pages begun and not finished, the collector ran 160 full collections in 40 s, and the instance served
 * 13–82 pages a second instead of its peak (docs/benchmarks.md, "Overload"). With the bound, the requests over it cost a
 * few microseconds each and the ones admitted are served at the instance's pace. A request counts from its first handler
 * until its response has ended or its connection closed. The management port (health, metrics) has its own router
 * and is never refused, so readiness and metrics stay readable under load. The current count is the gauge
 * {@code roundtable.http.in.flight}; refusals count in {@code roundtable.http.shed}, and are timed in
 * {@code http.server.requests} under the one {@code uri} tag {@link RefusedUri#TAG}.
 */
@ApplicationScoped
public class AdmissionLimit {

    /** Before every other handler of the public router, Quarkus's body handler included. */
    static final int ORDER = Integer.MIN_VALUE;

    /**
     * Seconds a refused client should wait before sending the request again (the one place of this value; the 503 of
     * PostgreSQL out of reach says {@link org.roundtable.db.Unavailable#RETRY_AFTER_SECONDS}, 5). Short on purpose: the
     * refusal says this instance is busy for a moment, which passes as soon as it has worked off the requests it holds
     * (at its peak of about 220 thread pages a second, its 128 in well under a second), and another instance may answer
     * at once. A longer wait would only idle the clients the instance can serve; docs/operations.md, "What a client
     * sees when Roundtable cannot answer".
     */
    public static final int RETRY_AFTER_SECONDS = 2;

    static final String TITLE = "Busy for a moment";
    static final String DETAIL = "Roundtable has more requests than it can answer just now, so this one was not "
            + "started and nothing of it was saved. Please send it again in a few seconds.";

    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder shed = new LongAdder();
    private final Template error;
    private volatile String page;

    public AdmissionLimit(@ConfigProperty(name = "roundtable.http.max-in-flight", defaultValue = "128") int maxInFlight,
            @Location("ErrorPage/error") Template error, MeterRegistry registry) {
        this.maxInFlight = maxInFlight;
        this.error = error;
        Gauge.builder("roundtable.http.in.flight", inFlight, AtomicInteger::get)
                .description("Requests of the public port being worked on (web/AdmissionLimit)").register(registry);
        Gauge.builder("roundtable.http.shed", shed, LongAdder::doubleValue)
                .description("Requests refused with 503 because roundtable.http.max-in-flight were being worked on")
                .register(registry);
    }

    void register(@Observes Router router) {
        if (maxInFlight > 0) {
            router.route().order(ORDER).handler(this::admit);
        }
    }

    /** The requests of the public port being worked on now (what the gauge shows). */
    public int inFlight() {
        return inFlight.get();
    }

    private void admit(RoutingContext ctx) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shed.increment();
            refuse(ctx);
            return;
        }
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    private void refuse(RoutingContext ctx) {
        RefusedUri.tag(ctx);
        String path = ctx.request().path();
        ctx.response().setStatusCode(503).putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (path != null && (path.equals("/api") || path.startsWith("/api/"))) {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(new JsonObject().put("type", "about:blank").put("title", TITLE).put("status", 503)
                            .put("detail", DETAIL).put("instance", path).encode());
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8").end(page());
    }

    /** The refusal page, the same for everyone (no session is read for it), rendered once. */
    private String page() {
        String p = page;
        if (p == null) {
            p = error.data("viewer", Viewer.GUEST).data("status", 503).data("title", TITLE).data("detail", DETAIL)
                    .render();
            page = p;
        }
        return p;
    }
}
