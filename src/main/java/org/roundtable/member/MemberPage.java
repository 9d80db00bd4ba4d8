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
import org.roundtable.web.DomainException;

/** A member's profile as other members see it: who they are, and the threads they started that the viewer may read. */
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
        static native TemplateInstance profile(Viewer viewer, MemberView member, List<MemberService.RecentThread> threads);
    }

    private final Viewers viewers;
    private final MemberService members;

    public MemberPage(Viewers viewers, MemberService members) {
        this.viewers = viewers;
        this.members = members;
    }

    @GET
    @Path("members/{username}")
    public Uni<TemplateInstance> profile(@RestPath String username) {
        return viewers.current().flatMap(viewer -> members.profile(username).flatMap(profile -> {
            if (profile == null) {
                throw DomainException.notFound("The member \"" + username + "\"");
            }
            return members.recentThreads(viewer, profile.id(), RECENT_THREADS)
                    .map(threads -> Templates.profile(viewer, MemberView.of(profile), threads));
        }));
    }
}
