package org.roundtable.insight;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.problem.DomainException;

/**
 * The insight pages: a cohort's ({@code /cohorts/{slug}/insights}: its facilitators, network facilitators, admins) and
 * the network's ({@code /insights}: network facilitators and admins), with a CSV file for every series. Server-rendered
 * SVG charts, no script; the page prints (docs/insights.md).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class InsightPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance insights(Viewer viewer, InsightView view);
    }

    private final Viewers viewers;
    private final InsightService insights;
    private final Clock clock;

    public InsightPage(Viewers viewers, InsightService insights, Clock clock) {
        this.viewers = viewers;
        this.insights = insights;
        this.clock = clock;
    }

    @GET
    @Path("cohorts/{slug}/insights")
    public Uni<TemplateInstance> cohort(@PathParam("slug") String slug) {
        Instant now = clock.instant();
        return viewers.current().flatMap(viewer -> insights.cohort(viewer, slug, now)
                .map(i -> Templates.insights(viewer, InsightView.of(i, now, "/cohorts/" + i.cohort() + "/insights/"))));
    }

    @GET
    @Path("insights")
    public Uni<TemplateInstance> network() {
        Instant now = clock.instant();
        return viewers.current().flatMap(viewer -> insights.network(viewer, now)
                .map(i -> Templates.insights(viewer, InsightView.of(i, now, "/insights/"))));
    }

    @GET
    @Path("cohorts/{slug}/insights/{file}")
    @Produces("text/csv")
    public Uni<RestResponse<String>> cohortCsv(@PathParam("slug") String slug, @PathParam("file") String file) {
        String series = series(file);
        Instant now = clock.instant();
        return viewers.current().flatMap(viewer -> insights.cohort(viewer, slug, now))
                .map(i -> csv(i, series, i.cohort() + "-" + series));
    }

    @GET
    @Path("insights/{file}")
    @Produces("text/csv")
    public Uni<RestResponse<String>> networkCsv(@PathParam("file") String file) {
        String series = series(file);
        Instant now = clock.instant();
        return viewers.current().flatMap(viewer -> insights.network(viewer, now)).map(i -> csv(i, series,
                "network-" + series));
    }

    /** "weekly.csv" → "weekly"; anything else is no file of ours (404). */
    private static String series(String file) {
        if (file == null || !file.endsWith(".csv")) {
            throw DomainException.notFound("The file \"" + file + "\"");
        }
        return file.substring(0, file.length() - 4);
    }

    private static RestResponse<String> csv(Insights insights, String series, String name) {
        String body = InsightCsv.render(insights, series);
        if (body == null) {
            throw DomainException.notFound("The series \"" + series + "\"");
        }
        return RestResponse.ResponseBuilder.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"insights-" + name + "-"
                        + insights.until().toLocalDate() + ".csv\"")
                .build();
    }
}
