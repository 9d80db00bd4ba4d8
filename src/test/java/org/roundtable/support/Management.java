package org.roundtable.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The app's management interface in tests (health, metrics, the OpenAPI document): its own port, set by
 * {@code quarkus.management.test-port} (9001 unless a run passes another), never the public port.
 */
public final class Management {

    private Management() {
    }

    /** The management interface's address of {@code path} (e.g. "/q/metrics"). */
    public static String url(String path) {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
        return "http://localhost:" + port + path;
    }

    /**
     * The Prometheus text of {@code /q/metrics} once it contains {@code text}, read again every 20 ms (a request's
     * timer is recorded as its response ends, which can be a moment after the client has read it); an AssertionError
     * naming {@code text} when it has not appeared within {@code within}.
     */
    public static String metricsContaining(String text, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String metrics = given().get(url("/q/metrics")).asString();
        while (!metrics.contains(text)) {
            assertThat(System.nanoTime()).as("%s in /q/metrics", text).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + text, e);
            }
            metrics = given().get(url("/q/metrics")).asString();
        }
        return metrics;
    }
}
