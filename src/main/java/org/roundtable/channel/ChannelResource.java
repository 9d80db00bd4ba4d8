package org.roundtable.channel;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewers;
import org.roundtable.thread.ThreadResource;
import org.roundtable.thread.IdempotencyKeys;
import org.roundtable.thread.PostCreator;
import org.roundtable.problem.DomainException;

@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ChannelResource {

    private final Viewers viewers;
    private final ChannelService channels;
    private final PostCreator threads;
    private final ThreadResource threadResource;

    public ChannelResource(Viewers viewers, ChannelService channels, PostCreator threads, ThreadResource threadResource) {
        this.viewers = viewers;
        this.channels = channels;
        this.threads = threads;
        this.threadResource = threadResource;
    }

    @GET
    @Path("channels")
    @Operation(summary = "The channels the member may read, with thread and unread counts")
    public Uni<List<ChannelSummary>> list() {
        return viewers.current().flatMap(channels::channels);
    }

    @GET
    @Path("channels/{slug}/threads")
    @Operation(summary = "A page of a channel's threads (pinned first, then by last activity); pass nextCursor for the next page")
    public Uni<ChannelService.ThreadList> threads(@PathParam("slug") String slug, @QueryParam("cursor") String cursor) {
        return viewers.current().flatMap(viewer -> channels.threads(viewer, slug, cursor));
    }

    /** {@code anonymous}: null for the channel's default (anonymous in the undiscussables). */
    public record NewThread(String title, String body, List<String> tags, Boolean anonymous) {
    }

    @POST
    @Path("channels/{slug}/threads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a thread; an Idempotency-Key header makes a repeated request create it once")
    public Uni<RestResponse<ThreadResource.ThreadJson>> create(@PathParam("slug") String slug, NewThread body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (body == null) {
            throw DomainException.badRequest("Send a JSON body: {\"title\": ..., \"body\": ..., \"tags\": [...]}.");
        }
        UUID key = IdempotencyKeys.fromHeader(idempotencyKey);
        return viewers.current().flatMap(viewer -> threads.createThread(viewer, slug, body.title(), body.body(), body.tags(), key, body.anonymous())
                .flatMap(created -> threadResource.load(viewer, created.threadId(), 0))
                .map(thread -> RestResponse.status(RestResponse.Status.CREATED, thread)))
                .map(response -> {
                    response.getHeaders().putSingle("Location", URI.create("/api/threads/" + response.getEntity().id()));
                    return response;
                });
    }
}
