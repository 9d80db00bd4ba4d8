package org.roundtable.web;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * The OpenAPI document describes the JSON API only: pages and their form posts share the resource classes' scan
 * (FollowPage and FollowResource sit on the same class paths), so every path outside {@code /api} is taken out of the
 * document, whichever class it came from. Registered by {@code mp.openapi.filter} (application.properties); it runs
 * when the document is built.
 */
public class ApiOnlyDocument implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (String path : java.util.List.copyOf(openAPI.getPaths().getPathItems().keySet())) {
            if (!isApi(path)) {
                openAPI.getPaths().removePathItem(path);
            }
        }
    }

    /** Whether a path of the document is the API's: {@code /api} or under it. */
    static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }
}
