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
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.channel.ChannelService;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.thread.ThreadSummary;

/** A tag's page: the newest threads with it that the viewer may see, and the viewer's level on the tag. */
@Path("/tags")
@Produces(MediaType.TEXT_HTML)
public class TagPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tag(Viewer viewer, String tag, FollowService.Current follow, List<ThreadSummary> threads);
    }

    private final Viewers viewers;
    private final FollowService follows;
    private final ChannelService channels;

    public TagPage(Viewers viewers, FollowService follows, ChannelService channels) {
        this.viewers = viewers;
        this.follows = follows;
        this.channels = channels;
    }

    @GET
    @Path("{tag}")
    public Uni<TemplateInstance> tag(@PathParam("tag") String raw) {
        Target target = Target.tag(raw);
        return viewers.current().flatMap(viewer -> follows.current(viewer, target)
                .flatMap(follow -> channels.tagged(viewer, target.tag())
                        .map(threads -> Templates.tag(viewer, target.tag(), follow, threads))));
    }

    @POST
    @Path("{tag}/follow")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> follow(@PathParam("tag") String tag, @FormParam("level") String level) {
        return FollowForms.set(viewers, follows, Target.tag(tag), level);
    }
}
