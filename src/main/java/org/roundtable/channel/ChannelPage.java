package org.roundtable.channel;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.roundtable.follow.FollowService;
import org.roundtable.follow.Target;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

/**
 * The channel list and a channel's threads, as pages. Starting a thread is the thread composer's (ThreadPage). The
 * class path is "/", as ThreadPage's: Quarkus REST routes a request within the one resource class whose path matches
 * best, so a "/channels" class would hide ThreadPage's "/channels/{slug}/new".
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ChannelPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance channels(Viewer viewer, List<ChannelSummary> channels);

        static native TemplateInstance channel(Viewer viewer, ChannelService.ThreadList list, String nextPage,
                FollowService.Current follow);
    }

    private final Viewers viewers;
    private final ChannelService channels;
    private final FollowService follows;

    public ChannelPage(Viewers viewers, ChannelService channels, FollowService follows) {
        this.viewers = viewers;
        this.channels = channels;
        this.follows = follows;
    }

    @GET
    @Path("channels")
    public Uni<TemplateInstance> list() {
        return viewers.current().flatMap(viewer -> channels.channels(viewer).map(list -> Templates.channels(viewer, list)));
    }

    /** A page of the channel's threads; an unknown channel, or one the viewer may not see, is a 404 page. */
    @GET
    @Path("channels/{slug}")
    public Uni<TemplateInstance> channel(@RestPath String slug, @RestQuery String cursor) {
        return viewers.current().flatMap(viewer -> channels.threads(viewer, slug, cursor)
                .flatMap(list -> follows.current(viewer, Target.channel(slug)).map(follow -> Templates.channel(viewer,
                        list, list.nextCursor() == null ? null
                                : "/channels/" + slug + "?cursor=" + URLEncoder.encode(list.nextCursor(), StandardCharsets.UTF_8),
                        follow))));
    }
}
