package org.roundtable.insight;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.roundtable.security.Viewers;

/** The insight figures as JSON: the same as the pages (docs/insights.md). */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InsightResource {

    private final Viewers viewers;
    private final InsightService insights;
    private final Clock clock;

    public InsightResource(Viewers viewers, InsightService insights, Clock clock) {
        this.viewers = viewers;
        this.insights = insights;
        this.clock = clock;
    }

    @GET
    @Path("cohorts/{slug}/insights")
    @Operation(summary = "A cohort's insight: the last 12 ISO weeks (UTC) and this week so far — new threads, replies, "
            + "reactions, members active, members with no visit in 30 days (names for the cohort's own facilitators), "
            + "unanswered questions, median time to a first reply, share solved, top tags, busiest channels, and per "
            + "channel threads and posts a week (undiscussables: fewerThanK below the crowd threshold). The cohort's "
            + "facilitators, network facilitators and admins; a member of the cohort gets 403, anyone else 404")
    public Uni<Insights> cohort(@PathParam("slug") String slug) {
        return viewers.current().flatMap(viewer -> insights.cohort(viewer, slug, clock.instant()));
    }

    @GET
    @Path("insights")
    @Operation(summary = "The network's insight (the same figures over every channel), with a row per cohort and per "
            + "channel. Network facilitators and admins; anyone else gets 403")
    public Uni<Insights> network() {
        return viewers.current().flatMap(viewer -> insights.network(viewer, clock.instant()));
    }
}
