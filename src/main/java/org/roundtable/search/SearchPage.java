package org.roundtable.search;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Forms;

/**
 * The search page, {@code /search?q=}: the form (also in the header of every page), the results grouped by thread
 * with a link to the matching post, its channel (and cohort), date and snippet, a next-page link (keyset), and tips on
 * the filters when nothing is found. A query it refuses (too long, a broken cursor) is the page again at 400 with the
 * reason and the query kept; so is a search that did not finish in time (422, {@link SearchService#TOO_BROAD}), and one
 * refused because the member already has searches running (429 with Retry-After), and one refused because the line of
 * searches is full (503 with Retry-After, {@link SearchService#BUSY}).
 * Works without JavaScript. The class path is "/", as every page's (docs/architecture.md).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SearchPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(Viewer viewer, String q, SearchResults results, String nextPage,
                String refusal);
    }

    private final Viewers viewers;
    private final SearchService search;

    public SearchPage(Viewers viewers, SearchService search) {
        this.viewers = viewers;
        this.search = search;
    }

    @GET
    @Path("search")
    public Uni<RestResponse<String>> search(@RestQuery String q, @RestQuery String cursor) {
        String typed = q == null ? "" : q;
        return viewers.current().flatMap(viewer -> Uni.createFrom().deferred(() -> search.search(viewer, typed, cursor))
                .flatMap(results -> Forms.shown(Templates.search(viewer, typed, results, next(results), null), 200))
                .onFailure(e -> e instanceof DomainException d && (d.status() == 400 || d.status() == 422
                        || d.status() == 429 || d.status() == 503))
                .recoverWithUni(e -> Forms.shown(Templates.search(viewer, typed, null, null, e.getMessage()),
                        (DomainException) e)));
    }

    private static String next(SearchResults results) {
        return results.nextCursor() == null ? null
                : "/search?q=" + URLEncoder.encode(results.q(), StandardCharsets.UTF_8) + "&cursor="
                        + URLEncoder.encode(results.nextCursor(), StandardCharsets.UTF_8);
    }
}
