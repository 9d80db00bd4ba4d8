package org.roundtable.profile;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.roundtable.cohort.CohortService.SharedCohort;
import org.roundtable.security.Viewers;
import org.roundtable.member.MemberService;

/** The member directory as JSON. */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MemberResource {

    private final Viewers viewers;
    private final MemberDirectory directory;

    public MemberResource(Viewers viewers, MemberDirectory directory) {
        this.viewers = viewers;
        this.directory = directory;
    }

    @GET
    @Path("members")
    @Operation(summary = "The member directory; q filters by name, username, job title, school or district")
    public Uni<List<MemberService.Listed>> list(@QueryParam("q") String q) {
        return directory.list(q);
    }

    /** {@code removal}: null, or for the channel's moderators why the thread is removed (hidden, deleted, withdrawn). */
    public record ThreadJson(long id, String title, String channel, int replyCount, boolean solved,
            OffsetDateTime createdAt, String removal) {
        static ThreadJson of(MemberService.RecentThread t) {
            return new ThreadJson(t.id(), t.title(), t.channelSlug(), t.replyCount(), t.solved(), t.createdAt(),
                    t.removal());
        }
    }

    public record MemberJson(String username, String name, String title, String school, String district,
            OffsetDateTime memberSince, List<SharedCohort> sharedCohorts, List<ThreadJson> threads) {
    }

    @GET
    @Path("members/{username}")
    @Operation(summary = "A member: who they are, the cohorts you share with them, the threads they started that you may read")
    public Uni<MemberJson> member(@PathParam("username") String username) {
        return viewers.current().flatMap(viewer -> directory.member(viewer, username)).map(e -> new MemberJson(
                e.profile().username(), e.profile().name(), e.profile().title(), e.profile().school(),
                e.profile().district(), e.profile().memberSince(), e.sharedCohorts(),
                e.threads().stream().map(ThreadJson::of).toList()));
    }
}
