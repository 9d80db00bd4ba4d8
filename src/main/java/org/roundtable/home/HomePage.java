package org.roundtable.home;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.roundtable.channel.ChannelService;
import org.roundtable.channel.ChannelService.ThreadInChannel;
import org.roundtable.cohort.CohortService;
import org.roundtable.cohort.CohortSummary;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing(Viewer viewer);

        static native TemplateInstance home(Viewer viewer, List<ThreadInChannel> recent, List<CohortSummary> cohorts);
    }

    /** Threads on the home page: the most recently active across everything the member may read. */
    static final int RECENT = 20;

    private final Viewers viewers;
    private final ChannelService channels;
    private final CohortService cohorts;

    public HomePage(Viewers viewers, ChannelService channels, CohortService cohorts) {
        this.viewers = viewers;
        this.channels = channels;
        this.cohorts = cohorts;
    }

    @GET
    public Uni<TemplateInstance> home() {
        return viewers.current().flatMap(viewer -> viewer.isGuest() ? Uni.createFrom().item(Templates.landing(viewer))
                : Uni.combine().all().unis(channels.recent(viewer, RECENT), cohorts.cohorts(viewer)).asTuple()
                        .map(t -> Templates.home(viewer, t.getItem1(),
                                t.getItem2().stream().filter(c -> c.isMember() && !c.archived()).toList())));
    }

    /** A page behind the login: reaching it means the code flow ran; then go home. */
    @GET
    @Path("login")
    public Response login() {
        return Response.seeOther(URI.create("/")).build();
    }
}
