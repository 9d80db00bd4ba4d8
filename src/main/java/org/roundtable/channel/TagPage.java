package org.roundtable.channel;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.roundtable.follow.FollowService;
import org.roundtable.follow.Target;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.thread.ThreadSummary;

/**
 * A tag's page: the newest threads with the tag that the viewer may see, across channels (the thread lists are
 * ChannelService's), and the viewer's level on the tag, whose form posts to follow/FollowPage.
 */
@Path("/")
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
    @Path("tags/{tag}")
    public Uni<TemplateInstance> tag(@PathParam("tag") String raw) {
        Target target = Target.tag(raw);
        return viewers.current().flatMap(viewer -> follows.current(viewer, target)
                .flatMap(follow -> channels.tagged(viewer, target.tag())
                        .map(threads -> Templates.tag(viewer, target.tag(), follow, threads))));
    }
}
