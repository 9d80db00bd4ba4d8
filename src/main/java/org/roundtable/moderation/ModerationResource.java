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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewers;
import org.roundtable.thread.ThreadState;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Input;

/** Facilitators' actions on posts and channels (JSON API). */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ModerationResource {

    private final Viewers viewers;
    private final ReviewQueue review;
    private final PostModeration posts;
    private final ThreadModeration threadModeration;
    private final MemberModeration memberModeration;
    private final AuditLogReader auditLog;

    public ModerationResource(Viewers viewers, ReviewQueue review, PostModeration posts, ThreadModeration threadModeration,
            MemberModeration memberModeration, AuditLogReader auditLog) {
        this.viewers = viewers;
        this.review = review;
        this.posts = posts;
        this.threadModeration = threadModeration;
        this.memberModeration = memberModeration;
        this.auditLog = auditLog;
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
        return viewers.current().flatMap(v -> posts.hide(v, id, body == null ? null : body.text(), true))
                .map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("posts/{id}/hidden")
    @Operation(summary = "Show a hidden post again")
    public Uni<RestResponse<Void>> unhide(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> posts.hide(v, id, null, false)).map(x -> RestResponse.noContent());
    }

    @POST
    @Path("posts/{id}/approval")
    @Operation(summary = "Publish a post held for approval")
    public Uni<RestResponse<Void>> approve(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> posts.approve(v, id)).map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("posts/{id}/approval")
    @Operation(summary = "Refuse a post held for approval (it is never published)")
    public Uni<RestResponse<Void>> reject(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> posts.reject(v, id, null)).map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("posts/{id}/author-block")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Block the pseudonym of an anonymous post in its thread")
    public Uni<RestResponse<Void>> block(@PathParam("id") long id, Reason body) {
        return viewers.current().flatMap(v -> posts.blockAuthor(v, id, body == null ? null : body.text()))
                .map(x -> RestResponse.noContent());
    }

    @GET
    @Path("review-queue/held")
    @Operation(summary = "Posts waiting for approval in the channels you moderate")
    public Uni<List<PostModeration.HeldPost>> held() {
        return viewers.current().flatMap(posts::heldPosts);
    }

    public record NewFlag(String reason, String text) {
    }

    @POST
    @Path("posts/{id}/flags")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Flag a post for the facilitators (once per member per post)")
    public Uni<RestResponse<Void>> flag(@PathParam("id") long id, NewFlag body) {
        return viewers.current().flatMap(v -> review.flag(v, id, body == null ? null : body.reason(),
                body == null ? null : body.text())).map(x -> RestResponse.status(RestResponse.Status.CREATED));
    }

    @GET
    @Path("review-queue")
    @Operation(summary = "Flagged and held posts in the channels you moderate")
    public Uni<List<ReviewQueue.QueueItem>> queue() {
        return viewers.current().flatMap(review::queue);
    }

    public record Decision(String action, String reason, String body) {
    }

    @POST
    @Path("review-queue/{itemId}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decide on a queue item: keep, hide, edit (with body), delete, approve, reject")
    public Uni<RestResponse<Void>> decide(@PathParam("itemId") long itemId, Decision body) {
        if (body == null) {
            throw DomainException.badRequest("Send {\"action\": ..., \"reason\": ...}.");
        }
        return viewers.current().flatMap(v -> review.decide(v, itemId, body.action(), body.reason(), body.body()))
                .map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("threads/{id}/lock")
    @Operation(summary = "Lock a thread: replies are refused")
    public Uni<RestResponse<Void>> lock(@PathParam("id") long id) {
        return state(id, ThreadState.LOCKED, true);
    }

    @DELETE
    @Path("threads/{id}/lock")
    @Operation(summary = "Unlock a thread")
    public Uni<RestResponse<Void>> unlock(@PathParam("id") long id) {
        return state(id, ThreadState.LOCKED, false);
    }

    @PUT
    @Path("threads/{id}/pin")
    @Operation(summary = "Pin a thread to the top of its channel")
    public Uni<RestResponse<Void>> pin(@PathParam("id") long id) {
        return state(id, ThreadState.PINNED, true);
    }

    @DELETE
    @Path("threads/{id}/pin")
    @Operation(summary = "Unpin a thread")
    public Uni<RestResponse<Void>> unpin(@PathParam("id") long id) {
        return state(id, ThreadState.PINNED, false);
    }

    @PUT
    @Path("threads/{id}/closed")
    @Operation(summary = "Close a thread: it is done, and takes no more replies")
    public Uni<RestResponse<Void>> close(@PathParam("id") long id) {
        return state(id, ThreadState.CLOSED, true);
    }

    @DELETE
    @Path("threads/{id}/closed")
    @Operation(summary = "Reopen a closed thread")
    public Uni<RestResponse<Void>> reopen(@PathParam("id") long id) {
        return state(id, ThreadState.CLOSED, false);
    }

    private Uni<RestResponse<Void>> state(long id, ThreadState state, boolean on) {
        return viewers.current().flatMap(v -> threadModeration.threadState(v, id, state, on, null)).map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("threads/{id}/hidden")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hide a whole thread, with a reason: it leaves every list, count, digest and notification "
            + "(the channel's facilitators still see it, marked)")
    public Uni<RestResponse<Void>> hideThread(@PathParam("id") long id, Reason body) {
        return viewers.current().flatMap(v -> threadModeration.hideThread(v, id, body == null ? null : body.text(), true))
                .map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("threads/{id}/hidden")
    @Operation(summary = "Show a hidden thread again")
    public Uni<RestResponse<Void>> unhideThread(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> threadModeration.hideThread(v, id, null, false)).map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("threads/{id}/deleted")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete a whole thread, with a reason (the channel's facilitators still see it, marked)")
    public Uni<RestResponse<Void>> deleteThread(@PathParam("id") long id, Reason body) {
        return viewers.current().flatMap(v -> threadModeration.deleteThread(v, id, body == null ? null : body.text()))
                .map(x -> RestResponse.noContent());
    }

    public record Move(String channel, Boolean confirmWiderAudience, String reason) {
    }

    @POST
    @Path("threads/{id}/move")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a thread to another channel you moderate")
    public Uni<RestResponse<Void>> move(@PathParam("id") long id, Move body) {
        if (body == null) {
            throw DomainException.badRequest("Send {\"channel\": \"<slug>\"}.");
        }
        return viewers.current().flatMap(v -> threadModeration.move(v, id, body.channel(),
                Boolean.TRUE.equals(body.confirmWiderAudience()), body.reason())).map(x -> RestResponse.noContent());
    }

    public record Suspension(OffsetDateTime until, String reason) {
    }

    @PUT
    @Path("members/{id}/suspension")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Suspend a member until a date, or indefinitely (admins)")
    public Uni<RestResponse<Void>> suspend(@PathParam("id") long id, Suspension body) {
        return viewers.current().flatMap(v -> memberModeration.suspend(v, id, body == null ? null : body.until(),
                body == null ? null : body.reason())).map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("members/{id}/suspension")
    @Operation(summary = "Lift a suspension (admins)")
    public Uni<RestResponse<Void>> unsuspend(@PathParam("id") long id) {
        return viewers.current().flatMap(v -> memberModeration.unsuspend(v, id)).map(x -> RestResponse.noContent());
    }

    public record Silence(String cohort, OffsetDateTime until, String reason) {
    }

    @PUT
    @Path("members/{id}/silence")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a member read-only in one cohort (its facilitators)")
    public Uni<RestResponse<Void>> silence(@PathParam("id") long id, Silence body) {
        if (body == null || body.cohort() == null) {
            throw DomainException.invalid(java.util.Map.of("cohort", "Say in which cohort (its slug)."));
        }
        return viewers.current().flatMap(v -> memberModeration.silence(v, body.cohort(), id, body.until(), body.reason(), true))
                .map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("members/{id}/silence/{cohort}")
    @Operation(summary = "Let a silenced member write in the cohort again")
    public Uni<RestResponse<Void>> unsilence(@PathParam("id") long id, @PathParam("cohort") String cohort) {
        return viewers.current().flatMap(v -> memberModeration.silence(v, cohort, id, null, null, false))
                .map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("channels/{slug}/approval")
    @Operation(summary = "Hold the anonymous posts of an undiscussables channel for approval (its facilitators)")
    public Uni<RestResponse<Void>> requireApproval(@PathParam("slug") String slug) {
        return viewers.current().flatMap(v -> posts.requireApproval(v, slug, true)).map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("channels/{slug}/approval")
    @Operation(summary = "Publish an undiscussables channel's posts without approval (its facilitators)")
    public Uni<RestResponse<Void>> noApproval(@PathParam("slug") String slug) {
        return viewers.current().flatMap(v -> posts.requireApproval(v, slug, false)).map(x -> RestResponse.noContent());
    }

    @GET
    @Path("audit")
    @Operation(summary = "The audit log of what you moderate (admins: everything); filter by actor, action, from, to")
    public Uni<List<AuditLogReader.AuditLine>> audit(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        return viewers.current().flatMap(v -> auditLog.audit(v, actor, action, date(from, "from"), date(to, "to")));
    }

    /** A date (its start, UTC) or a date and time with its offset, as a person types it; refused outside years 1 to 9999. */
    public static OffsetDateTime date(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Input.noNul(field, value);
        OffsetDateTime parsed;
        try {
            parsed = java.time.LocalDate.parse(value.strip()).atStartOfDay().atOffset(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            try {
                parsed = OffsetDateTime.parse(value.strip());
            } catch (java.time.format.DateTimeParseException e2) {
                throw DomainException.invalid(java.util.Map.of(field, "Use a date like 2026-11-23."));
            }
        }
        return Input.date(field, parsed);
    }
}
