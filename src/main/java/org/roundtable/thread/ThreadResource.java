package org.roundtable.thread;

import org.roundtable.security.Guardian;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.problem.DomainException;

/** The JSON API for threads and posts. */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ThreadResource {

    private final Viewers viewers;
    private final ThreadService threads;
    private final PostCreator creator;
    private final PostRevisor revisor;
    private final PostDestroyer destroyer;
    private final Reactions reactions;
    private final AcceptedAnswers answers;
    private final PostRenderer renderer;

    public ThreadResource(Viewers viewers, ThreadService threads, PostWrites writes) {
        this.viewers = viewers;
        this.threads = threads;
        this.creator = writes.creator();
        this.revisor = writes.revisor();
        this.destroyer = writes.destroyer();
        this.reactions = writes.reactions();
        this.answers = writes.answers();
        this.renderer = writes.renderer();
    }

    /** {@code removal}: null, or for the channel's moderators why the thread is removed (hidden, deleted, withdrawn). */
    public record ThreadJson(long id, String title, String channel, AuthorJson author, List<String> tags, boolean locked,
            boolean solved, Long acceptedPostId, int replyCount, int page, int pageCount, OffsetDateTime createdAt,
            boolean mine, boolean anonymous, List<PostJson> posts, String removal) {
    }

    public record AuthorJson(String username, String name, String pseudonym) {
        static AuthorJson of(Author a) {
            return new AuthorJson(a.username(), a.isAnonymous() ? null : a.name(), a.pseudonym());
        }
    }

    public record PostJson(long id, int number, Long replyTo, AuthorJson author, String html, OffsetDateTime createdAt,
            OffsetDateTime editedAt, int version, boolean deleted, int depth, Map<String, Integer> reactions,
            List<String> myReactions, boolean accepted, boolean mine, boolean opener, boolean hidden, boolean held) {
        static PostJson of(PostView p) {
            Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            p.reactions().forEach(r -> counts.put(r.kind(), r.count()));
            return new PostJson(p.id(), p.number(), p.replyTo(), AuthorJson.of(p.author()), p.deleted() ? null : p.html(),
                    p.createdAt(), p.editedAt(), p.version(), p.deleted(), p.depth(), counts,
                    p.reactions().stream().filter(PostView.ReactionCount::mine).map(PostView.ReactionCount::kind).toList(),
                    p.accepted(), p.mine(), p.opener(), p.hidden(), p.held());
        }
    }

    public Uni<ThreadJson> load(Viewer viewer, long id, int page) {
        return load(viewer, id, page, false);
    }

    private Uni<ThreadJson> load(Viewer viewer, long id, int page, boolean markRead) {
        return threads.thread(viewer, id, page, markRead).map(t -> {
            Guardian.ensureFound(t, "The thread");
            List<PostJson> posts = new java.util.ArrayList<>();
            if (t.opening() != null) {
                posts.add(PostJson.of(t.opening()));
            }
            t.replies().forEach(p -> posts.add(PostJson.of(p)));
            return new ThreadJson(t.id(), t.title(), t.channel().slug(), AuthorJson.of(t.author()), t.tags(), t.locked(),
                    t.solved(), t.acceptedPostId(), t.replyCount(), t.page(), t.pageCount(), t.createdAt(), t.mine(),
                    t.author().isAnonymous(), posts, t.removal());
        });
    }

    @GET
    @Path("threads/{id}")
    @Operation(summary = "A thread with the opening post and one page of replies; replyTo makes the tree")
    public Uni<ThreadJson> thread(@PathParam("id") long id, @QueryParam("page") int page) {
        return viewers.current().flatMap(viewer -> load(viewer, id, page, true));
    }

    @DELETE
    @Path("threads/{id}")
    @Operation(summary = "Withdraw your thread (named, or anonymous: your pseudonym is recomputed): it leaves every "
            + "list, count, digest and notification")
    public Uni<RestResponse<Void>> withdraw(@PathParam("id") long id) {
        return viewers.current().flatMap(viewer -> destroyer.withdraw(viewer, id)).map(x -> RestResponse.noContent());
    }

    /** {@code anonymous}: null for the channel's default (anonymous in the undiscussables). */
    public record NewPost(String body, Long replyTo, Boolean anonymous) {
    }

    @POST
    @Path("threads/{id}/posts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reply to the thread, or to one of its posts with replyTo")
    public Uni<RestResponse<PostJson>> reply(@PathParam("id") long id, NewPost body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (body == null) {
            throw DomainException.badRequest("Send a JSON body: {\"body\": ..., \"replyTo\": <post id or null>}.");
        }
        UUID key = IdempotencyKeys.fromHeader(idempotencyKey);
        return viewers.current().flatMap(viewer -> creator.reply(viewer, id, body.replyTo(), body.body(), key, body.anonymous())
                .flatMap(created -> onePost(viewer, created.postId()))
                .map(post -> RestResponse.ResponseBuilder.<PostJson>create(RestResponse.Status.CREATED, post)
                        .location(URI.create("/api/posts/" + post.id())).build()));
    }

    @GET
    @Path("posts/{id}")
    @Operation(summary = "One post")
    public Uni<PostJson> post(@PathParam("id") long id) {
        return viewers.current().flatMap(viewer -> onePost(viewer, id));
    }

    private Uni<PostJson> onePost(Viewer viewer, long postId) {
        return threads.post(viewer, postId).map(post -> PostJson.of(Guardian.ensureFound(post, "The post")));
    }

    public record PostEdit(String body, Integer version) {
    }

    @PATCH
    @Path("posts/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit your post; version must be the one you edited (409 when it changed meanwhile)")
    public Uni<PostJson> edit(@PathParam("id") long id, PostEdit body) {
        if (body == null || body.version() == null) {
            throw DomainException.invalid(Map.of("version", "Send the version of the post you edited."));
        }
        return viewers.current().flatMap(viewer -> revisor.edit(viewer, id, body.body(), body.version())
                .flatMap(x -> onePost(viewer, id)));
    }

    @DELETE
    @Path("posts/{id}")
    @Operation(summary = "Delete your post (the thread keeps a placeholder)")
    public Uni<RestResponse<Void>> delete(@PathParam("id") long id) {
        return viewers.current().flatMap(viewer -> destroyer.delete(viewer, id)).map(x -> RestResponse.noContent());
    }

    @GET
    @Path("posts/{id}/revisions")
    @Operation(summary = "Earlier versions of a post, newest first")
    public Uni<List<ThreadService.Revision>> revisions(@PathParam("id") long id) {
        return viewers.current().flatMap(viewer -> threads.revisions(viewer, id)).map(list -> Guardian.ensureFound(list, "The post"));
    }

    @PUT
    @Path("posts/{id}/reactions/{kind}")
    @Operation(summary = "React to a post (thanks, plus-one, insightful); once per kind")
    public Uni<List<PostView.ReactionCount>> react(@PathParam("id") long id, @PathParam("kind") String kind) {
        return viewers.current().flatMap(viewer -> reactions.react(viewer, id, kind, true));
    }

    @DELETE
    @Path("posts/{id}/reactions/{kind}")
    @Operation(summary = "Take a reaction back")
    public Uni<List<PostView.ReactionCount>> unreact(@PathParam("id") long id, @PathParam("kind") String kind) {
        return viewers.current().flatMap(viewer -> reactions.react(viewer, id, kind, false));
    }

    public record Answer(Long postId) {
    }

    @PUT
    @Path("threads/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a reply as the answer (the thread's author only)")
    public Uni<ThreadJson> accept(@PathParam("id") long id, Answer body) {
        if (body == null || body.postId() == null) {
            throw DomainException.invalid(Map.of("postId", "Send the id of the reply that answers the question."));
        }
        return viewers.current().flatMap(viewer -> answers.accept(viewer, id, body.postId()).flatMap(x -> load(viewer, id, 0)));
    }

    @DELETE
    @Path("threads/{id}/answer")
    @Operation(summary = "Unmark the answer (the thread's author only)")
    public Uni<ThreadJson> unaccept(@PathParam("id") long id) {
        return viewers.current().flatMap(viewer -> answers.accept(viewer, id, null).flatMap(x -> load(viewer, id, 0)));
    }

    public record Preview(String body) {
    }

    public record PreviewHtml(String html) {
    }

    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Render markdown as it would be posted, without posting")
    public Uni<PreviewHtml> preview(Preview body) {
        return renderer.preview(body == null ? null : body.body()).map(PreviewHtml::new);
    }
}
