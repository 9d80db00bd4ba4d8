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
 * The form posts that set a follow level from a page: the follow control ({@code {#followControl follow /}},
 * templates/tags/followControl.html) of the thread, channel and tag pages (channel/TagPage), and the rows of "What I
 * follow" ({@code {#followRow row /}}, follow/FollowingPage). One route per kind; the form's {@code back} names where
 * the 303 goes, among known places only ({@link Back}): never a free address, so no form can redirect elsewhere.
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
    public Uni<RestResponse<Void>> followTag(@PathParam("tag") String tag, @FormParam("level") String level,
            @FormParam("back") String back) {
        return set(Target.tag(tag), level, back);
    }

    @POST
    @Path("threads/{id}/follow")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> followThread(@PathParam("id") long id, @FormParam("level") String level,
            @FormParam("back") String back) {
        return set(Target.thread(id), level, back);
    }

    @POST
    @Path("channels/{slug}/follow")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> followChannel(@PathParam("slug") String slug, @FormParam("level") String level,
            @FormParam("back") String back) {
        return set(Target.channel(slug), level, back);
    }

    /**
     * Where a form comes back to after setting a level: the target's own page (the default, and the answer to any
     * value it does not know), or "What I follow" at the target's kind.
     */
    public enum Back {
        PAGE, FOLLOWING;

        /** The place a form's {@code back} names; {@link #PAGE} for anything else (absent, unknown, an address). */
        static Back of(String value) {
            return "following".equals(value) ? FOLLOWING : PAGE;
        }

        URI uri(Target target) {
            return URI.create(this == FOLLOWING ? "/following#" + target.kind() : target.page());
        }
    }

    /** Sets the level (FollowService refuses what the viewer may not see with 404), then 303 to the place named. */
    private Uni<RestResponse<Void>> set(Target target, String level, String back) {
        Level parsed = Level.parse(level);
        Back place = Back.of(back);
        return viewers.current().flatMap(viewer -> follows.set(viewer, target, parsed))
                .map(x -> RestResponse.seeOther(place.uri(target)));
    }
}
