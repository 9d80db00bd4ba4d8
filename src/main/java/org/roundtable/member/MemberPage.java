package org.roundtable.member;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.cohort.CohortService;

/**
 * A member's profile as other members see it: who they are, the cohorts the viewer shares with them, and the threads
 * they started that the viewer may read (MemberDirectory decides what of a member the viewer may know).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class MemberPage {

    static final int RECENT_THREADS = 20;

    /** What the profile shows of a member: no email address, no account details. */
    public record MemberView(String username, String name, String title, String school, String district,
            java.time.OffsetDateTime memberSince) {
        static MemberView of(MemberService.Profile p) {
            return new MemberView(p.username(), p.name(), p.title(), p.school(), p.district(), p.memberSince());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance profile(Viewer viewer, MemberView member, List<MemberService.RecentThread> threads,
                List<CohortService.SharedCohort> sharedCohorts);
    }

    private final Viewers viewers;
    private final MemberDirectory directory;

    public MemberPage(Viewers viewers, MemberDirectory directory) {
        this.viewers = viewers;
        this.directory = directory;
    }

    @GET
    @Path("members/{username}")
    public Uni<TemplateInstance> profile(@RestPath String username) {
        return viewers.current().flatMap(viewer -> directory.member(viewer, username)
                .map(e -> Templates.profile(viewer, MemberView.of(e.profile()), e.threads(), e.sharedCohorts())));
    }
}
