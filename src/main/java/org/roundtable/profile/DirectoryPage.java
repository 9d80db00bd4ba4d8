package org.roundtable.profile;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.member.MemberService;

/** The member directory page (a member's own page is MemberPage). Class path "/", as every page's. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class DirectoryPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance members(Viewer viewer, List<MemberService.Listed> members, String q, int limit);
    }

    private final Viewers viewers;
    private final MemberDirectory directory;

    public DirectoryPage(Viewers viewers, MemberDirectory directory) {
        this.viewers = viewers;
        this.directory = directory;
    }

    @GET
    @Path("members")
    public Uni<TemplateInstance> members(@QueryParam("q") String q) {
        return viewers.current().flatMap(viewer -> directory.list(q)
                .map(list -> Templates.members(viewer, list, q == null ? "" : q, MemberDirectory.PAGE)));
    }
}
