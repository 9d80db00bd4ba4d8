package org.roundtable.support;

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
}
