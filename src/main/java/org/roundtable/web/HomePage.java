package org.roundtable.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing(Viewer viewer);

        static native TemplateInstance home(Viewer viewer);
    }

    private final Viewers viewers;

    public HomePage(Viewers viewers) {
        this.viewers = viewers;
    }

    @GET
    public Uni<TemplateInstance> home() {
        return viewers.current().map(viewer -> viewer.isGuest() ? Templates.landing(viewer) : Templates.home(viewer));
    }

    /** A page behind the login: reaching it means the code flow ran; then go home. */
    @GET
    @Path("login")
    public Response login() {
        return Response.seeOther(URI.create("/")).build();
    }
}
