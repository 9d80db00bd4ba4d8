package org.roundtable.follow;

import org.roundtable.security.Guardian;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.roundtable.security.Viewers;

/** The JSON API of following: a member's level on a thread, a channel or a tag. */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class FollowResource {

    private final Viewers viewers;
    private final FollowService follows;

    public FollowResource(Viewers viewers, FollowService follows) {
        this.viewers = viewers;
        this.follows = follows;
    }

    public record LevelJson(String level) {
    }

    public record FollowJson(String kind, String key, String title, String level) {
        static FollowJson of(FollowService.Current current) {
            Target t = current.target();
            String key = switch (t.kind()) {
                case thread -> String.valueOf(t.threadId());
                case channel -> t.channelSlug();
                case tag -> t.tag();
            };
            return new FollowJson(t.kind().name(), key, current.title(), current.level().name());
        }
    }

    @GET
    @Path("follows")
    @Operation(summary = "Everything you have a level on (threads, channels, tags) that you may still see")
    public Uni<List<FollowService.Follow>> list() {
        return viewers.current().flatMap(follows::follows);
    }

    @GET
    @Path("threads/{id}/follow")
    @Operation(summary = "Your level on a thread (normal when you never set one)")
    public Uni<FollowJson> thread(@PathParam("id") long id) {
        return get(Target.thread(id));
    }

    @PUT
    @Path("threads/{id}/follow")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set your level on a thread: watching, tracking, normal or muted")
    public Uni<FollowJson> followThread(@PathParam("id") long id, LevelJson body) {
        return put(Target.thread(id), body);
    }

    @GET
    @Path("channels/{slug}/follow")
    @Operation(summary = "Your level on a channel")
    public Uni<FollowJson> channel(@PathParam("slug") String slug) {
        return get(Target.channel(slug));
    }

    @PUT
    @Path("channels/{slug}/follow")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set your level on a channel: watching, tracking, normal or muted")
    public Uni<FollowJson> followChannel(@PathParam("slug") String slug, LevelJson body) {
        return put(Target.channel(slug), body);
    }

    @GET
    @Path("tags/{tag}/follow")
    @Operation(summary = "Your level on a tag")
    public Uni<FollowJson> tag(@PathParam("tag") String tag) {
        return get(Target.tag(tag));
    }

    @PUT
    @Path("tags/{tag}/follow")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set your level on a tag: watching, tracking, normal or muted")
    public Uni<FollowJson> followTag(@PathParam("tag") String tag, LevelJson body) {
        return put(Target.tag(tag), body);
    }

    private Uni<FollowJson> get(Target target) {
        return viewers.current().flatMap(viewer -> follows.current(viewer, target)).map(current -> FollowJson.of(
                Guardian.ensureFound(current, target.kind() == Target.Kind.thread ? "The thread" : "The channel")));
    }

    private Uni<FollowJson> put(Target target, LevelJson body) {
        Level level = Level.parse(body == null ? null : body.level());
        return viewers.current().flatMap(viewer -> follows.set(viewer, target, level)
                .flatMap(x -> follows.current(viewer, target))).map(FollowJson::of);
    }
}
