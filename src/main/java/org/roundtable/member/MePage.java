package org.roundtable.member;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

@Path("/")
@Produces(MediaType.TEXT_HTML)
public class MePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance me(Viewer viewer, MemberService.Profile profile, List<String> roles);
    }

    private final Viewers viewers;
    private final MemberService members;

    public MePage(Viewers viewers, MemberService members) {
        this.viewers = viewers;
        this.members = members;
    }

    @GET
    @Path("me")
    public Uni<TemplateInstance> me() {
        return viewers.current().flatMap(viewer -> members.profile(viewer.id())
                .map(profile -> Templates.me(viewer, profile, viewer.roles().stream().sorted().toList())));
    }
}
