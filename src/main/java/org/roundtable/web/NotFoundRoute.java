package org.roundtable.web;

import org.roundtable.problem.Problem;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.qute.Location;
import org.roundtable.security.Viewer;

/** The last route: an address nothing else answers gets a 404 in the caller's language (page or problem+json). */
@ApplicationScoped
public class NotFoundRoute {

    private final Template error;

    public NotFoundRoute(@Location("ErrorPage/error") Template error) {
        this.error = error;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE - 1).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (path.equals("/api") || path.startsWith("/api/")) {
                ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .end(new JsonObject().put("type", "about:blank").put("title", "Not found").put("status", 404)
                                .put("detail", "There is no API route at this address.").put("instance", path).encode());
                return;
            }
            String html = error.data("viewer", Viewer.GUEST).data("status", 404).data("title", "Not found")
                    .data("detail", "There is nothing at this address.").render();
            ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8").end(html);
        });
    }
}
