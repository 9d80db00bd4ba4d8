package org.roundtable.security;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.TreeSet;

/**
 * The app's own Vert.x routes (those outside the REST layer, such as the one-click unsubscribe), as the authorization
 * matrix needs them: the router is kept when it is set up, and read when the test asks (every route is there by then).
 */
@ApplicationScoped
public class RouterRoutes {

    private volatile Router router;

    void keep(@Observes Router router) {
        this.router = router;
    }

    /** "METHOD /path" of each route with a path of its own, outside Quarkus's /q endpoints. */
    Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || path.startsWith("/q/") || path.equals("/q") || route.methods() == null) {
                continue;
            }
            for (HttpMethod method : route.methods()) {
                if (AuthorizationMatrixTest.HTTP_METHODS.contains(method.name()) && !method.name().equals("HEAD")) {
                    routes.add(method.name() + " " + AuthorizationMatrix.normalize(path));
                }
            }
        }
        return routes;
    }
}
