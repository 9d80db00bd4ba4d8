package org.roundtable.follow;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.channel.ChannelService;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.thread.ThreadSummary;

/**
 * The pages of following: the tag page, and the form posts of the follow control ({@code {#followControl follow /}},
 * templates/tags/followControl.html) on thread, channel and tag pages — set the level, then 303 back to the page.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class FollowPage {

    @CheckedTemplate(basePath = "TagPage")
    static class Templates {
        static native TemplateInstance tag(Viewer viewer, String tag, FollowService.Current follow, List<ThreadSummary> threads);
    }

    private final Viewers viewers;
    private final FollowService follows;
    private final ChannelService channels;

    public FollowPage(Viewers viewers, FollowService follows, ChannelService channels) {
        this.viewers = viewers;
        this.follows = follows;
        this.channels = channels;
    }

    /** A tag's page: the newest threads with it that the viewer may see, and the viewer's level on the tag. */
    @GET
    @Path("tags/{tag}")
    public Uni<TemplateInstance> tag(@PathParam("tag") String raw) {
        Target target = Target.tag(raw);
        return viewers.current().flatMap(viewer -> follows.current(viewer, target)
                .flatMap(follow -> channels.tagged(viewer, target.tag())
                        .map(threads -> Templates.tag(viewer, target.tag(), follow, threads))));
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
