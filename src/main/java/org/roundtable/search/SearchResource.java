package org.roundtable.search;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.roundtable.security.Viewers;

/** {@code /api/search}: what the search page shows, as JSON. */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    private final Viewers viewers;
    private final SearchService search;

    public SearchResource(Viewers viewers, SearchService search) {
        this.viewers = viewers;
        this.search = search;
    }

    @GET
    @Path("search")
    @Operation(summary = "Search the posts the member may read: one result per thread, best first; pass nextCursor for"
            + " the next page. Filters in q: #tag, in:channel-slug, in:following, cohort:slug, @username (named posts"
            + " only), status:solved|unanswered|open|locked, before:YYYY-MM-DD, after:YYYY-MM-DD, order:latest|relevance;"
            + " words follow websearch_to_tsquery (\"a phrase\", or, -word). Parts left out are explained in notices.")
    public Uni<SearchResults> search(
            @Parameter(description = "The query, up to 500 characters") @QueryParam("q") String q,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        return viewers.current().flatMap(viewer -> search.search(viewer, q, cursor));
    }
}
