package org.roundtable.follow;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewers;

/**
 * The follow control's form posts (templates/tags/followControl.html): set the level, then back to the page with a
 * 303. One class per target, each with a path longer than the page resources' own ({@code /threads},
 * {@code /channels}), so that JAX-RS routes these here.
 */
public final class FollowForms {

    private FollowForms() {
    }

    static Uni<RestResponse<Void>> set(Viewers viewers, FollowService follows, Target target, String level) {
        Level parsed = Level.parse(level);
        return viewers.current().flatMap(viewer -> follows.set(viewer, target, parsed))
                .map(x -> RestResponse.seeOther(URI.create(target.page())));
    }

    @Path("/threads/{id}/follow")
    public static class ThreadFollowForm {
        private final Viewers viewers;
        private final FollowService follows;

        public ThreadFollowForm(Viewers viewers, FollowService follows) {
            this.viewers = viewers;
            this.follows = follows;
        }

        @POST
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public Uni<RestResponse<Void>> set(@PathParam("id") long id, @FormParam("level") String level) {
            return FollowForms.set(viewers, follows, Target.thread(id), level);
        }
    }

    @Path("/channels/{slug}/follow")
    public static class ChannelFollowForm {
        private final Viewers viewers;
        private final FollowService follows;

        public ChannelFollowForm(Viewers viewers, FollowService follows) {
            this.viewers = viewers;
            this.follows = follows;
        }

        @POST
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public Uni<RestResponse<Void>> set(@PathParam("slug") String slug, @FormParam("level") String level) {
            return FollowForms.set(viewers, follows, Target.channel(slug), level);
        }
    }
}
