package org.roundtable.member;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

/** The member directory pages. */
@Path("/members")
@Produces(MediaType.TEXT_HTML)
public class DirectoryPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance members(Viewer viewer, List<MemberService.Listed> members, String q, int limit);

        static native TemplateInstance member(Viewer viewer, MemberDirectory.Entry entry);
    }

    private final Viewers viewers;
    private final MemberDirectory directory;

    public DirectoryPage(Viewers viewers, MemberDirectory directory) {
        this.viewers = viewers;
        this.directory = directory;
    }

    @GET
    public Uni<TemplateInstance> members(@QueryParam("q") String q) {
        return viewers.current().flatMap(viewer -> directory.list(q)
                .map(list -> Templates.members(viewer, list, q == null ? "" : q, MemberDirectory.PAGE)));
    }

    @GET
    @Path("{username}")
    public Uni<TemplateInstance> member(@PathParam("username") String username) {
        return viewers.current().flatMap(viewer -> directory.member(viewer, username).map(e -> Templates.member(viewer, e)));
    }
}
