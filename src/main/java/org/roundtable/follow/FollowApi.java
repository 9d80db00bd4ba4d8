package org.roundtable.follow;

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
import org.roundtable.web.DomainException;

/**
 * The JSON API of following. Each target has a class of its own whose path is longer than the thread and channel
 * resources' ({@code /api}, {@code /api/channels}): JAX-RS picks the resource class by the longest matching path.
 */
public final class FollowApi {

    private FollowApi() {
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

    static Uni<FollowJson> get(Viewers viewers, FollowService follows, Target target) {
        return viewers.current().flatMap(viewer -> follows.current(viewer, target)).map(current -> {
            if (current == null) {
                throw DomainException.notFound(target.kind() == Target.Kind.thread ? "The thread" : "The channel");
            }
            return FollowJson.of(current);
        });
    }

    static Uni<FollowJson> put(Viewers viewers, FollowService follows, Target target, LevelJson body) {
        Level level = Level.parse(body == null ? null : body.level());
        return viewers.current().flatMap(viewer -> follows.set(viewer, target, level)
                .flatMap(x -> follows.current(viewer, target))).map(FollowJson::of);
    }

    @Path("/api/follows")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    public static class Follows {
        private final Viewers viewers;
        private final FollowService follows;

        public Follows(Viewers viewers, FollowService follows) {
            this.viewers = viewers;
            this.follows = follows;
        }

        @GET
        @Operation(summary = "Everything you have a level on (threads, channels, tags) that you may still see")
        public Uni<List<FollowService.Follow>> list() {
            return viewers.current().flatMap(follows::follows);
        }
    }

    @Path("/api/threads/{id}/follow")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    public static class ThreadFollow {
        private final Viewers viewers;
        private final FollowService follows;

        public ThreadFollow(Viewers viewers, FollowService follows) {
            this.viewers = viewers;
            this.follows = follows;
        }

        @GET
        @Operation(summary = "Your level on a thread (normal when you never set one)")
        public Uni<FollowJson> get(@PathParam("id") long id) {
            return FollowApi.get(viewers, follows, Target.thread(id));
        }

        @PUT
        @Consumes(MediaType.APPLICATION_JSON)
        @Operation(summary = "Set your level on a thread: watching, tracking, normal or muted")
        public Uni<FollowJson> put(@PathParam("id") long id, LevelJson body) {
            return FollowApi.put(viewers, follows, Target.thread(id), body);
        }
    }

    @Path("/api/channels/{slug}/follow")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    public static class ChannelFollow {
        private final Viewers viewers;
        private final FollowService follows;

        public ChannelFollow(Viewers viewers, FollowService follows) {
            this.viewers = viewers;
            this.follows = follows;
        }

        @GET
        @Operation(summary = "Your level on a channel")
        public Uni<FollowJson> get(@PathParam("slug") String slug) {
            return FollowApi.get(viewers, follows, Target.channel(slug));
        }

        @PUT
        @Consumes(MediaType.APPLICATION_JSON)
        @Operation(summary = "Set your level on a channel: watching, tracking, normal or muted")
        public Uni<FollowJson> put(@PathParam("slug") String slug, LevelJson body) {
            return FollowApi.put(viewers, follows, Target.channel(slug), body);
        }
    }

    @Path("/api/tags/{tag}/follow")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    public static class TagFollow {
        private final Viewers viewers;
        private final FollowService follows;

        public TagFollow(Viewers viewers, FollowService follows) {
            this.viewers = viewers;
            this.follows = follows;
        }

        @GET
        @Operation(summary = "Your level on a tag")
        public Uni<FollowJson> get(@PathParam("tag") String tag) {
            return FollowApi.get(viewers, follows, Target.tag(tag));
        }

        @PUT
        @Consumes(MediaType.APPLICATION_JSON)
        @Operation(summary = "Set your level on a tag: watching, tracking, normal or muted")
        public Uni<FollowJson> put(@PathParam("tag") String tag, LevelJson body) {
            return FollowApi.put(viewers, follows, Target.tag(tag), body);
        }
    }
}
