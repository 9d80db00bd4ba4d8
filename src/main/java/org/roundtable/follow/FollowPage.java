package org.roundtable.follow;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewers;

/**
 * The form posts of the follow control ({@code {#followControl follow /}}, templates/tags/followControl.html) on the
 * thread, channel and tag pages (channel/TagPage): set the level, then 303 back to the page.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class FollowPage {

    private final Viewers viewers;
    private final FollowService follows;

    public FollowPage(Viewers viewers, FollowService follows) {
        this.viewers = viewers;
        this.follows = follows;
    }

    @POST
    @Path("tags/{tag}/follow")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> followTag(@PathParam("tag") String tag, @FormParam("level") String level) {
        return set(Target.tag(tag), level);
    }

    @POST
    @Path("threads/{id}/follow")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> followThread(@PathParam("id") long id, @FormParam("level") String level) {
        return set(Target.thread(id), level);
    }

    @POST
    @Path("channels/{slug}/follow")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> followChannel(@PathParam("slug") String slug, @FormParam("level") String level) {
        return set(Target.channel(slug), level);
    }

    private Uni<RestResponse<Void>> set(Target target, String level) {
        Level parsed = Level.parse(level);
        return viewers.current().flatMap(viewer -> follows.set(viewer, target, parsed))
                .map(x -> RestResponse.seeOther(URI.create(target.page())));
    }
}
