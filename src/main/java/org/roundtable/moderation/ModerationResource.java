package org.roundtable.moderation;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewers;

/** Facilitators' actions on posts and channels (JSON API). */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ModerationResource {

    private final Viewers viewers;
    private final ModerationService moderation;

    public ModerationResource(Viewers viewers, ModerationService moderation) {
        this.viewers = viewers;
        this.moderation = moderation;
    }

    public record Reason(String reason) {
        String text() {
            return reason == null || reason.isBlank() ? null : reason.strip();
        }
    }

    @PUT
    @Path("posts/{id}/hidden")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hide a post (members see a placeholder; moderators and the author the text)")
    public Uni<RestResponse<Void>> hide(@PathParam("id") long id, Reason body) {
        return viewers.current().flatMap(v -> moderation.hide(v, id, body == null ? null : body.text(), true))
                .map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("posts/{id}/hidden")
    @Operation(summary = "Show a hidden post again")
    public Uni<RestResponse<Void>> unhide(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> moderation.hide(v, id, null, false)).map(x -> RestResponse.noContent());
    }

    @POST
    @Path("posts/{id}/approval")
    @Operation(summary = "Publish a post held for approval")
    public Uni<RestResponse<Void>> approve(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> moderation.approve(v, id)).map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("posts/{id}/approval")
    @Operation(summary = "Refuse a post held for approval (it is never published)")
    public Uni<RestResponse<Void>> reject(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> moderation.reject(v, id, null)).map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("posts/{id}/author-block")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Block the pseudonym of an anonymous post in its thread")
    public Uni<RestResponse<Void>> block(@PathParam("id") long id, Reason body) {
        return viewers.current().flatMap(v -> moderation.blockAuthor(v, id, body == null ? null : body.text()))
                .map(x -> RestResponse.noContent());
    }

    @GET
    @Path("review-queue/held")
    @Operation(summary = "Posts waiting for approval in the channels you moderate")
    public Uni<List<ModerationService.HeldPost>> held() {
        return viewers.current().flatMap(moderation::heldPosts);
    }
}
