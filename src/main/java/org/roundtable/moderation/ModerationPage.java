package org.roundtable.moderation;

import org.roundtable.security.Guardian;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.thread.PostView;
import org.roundtable.thread.ThreadDetail;
import org.roundtable.thread.ThreadService;
import org.roundtable.thread.ThreadState;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Forms;
import org.roundtable.web.SentForm;

/** The facilitators' pages: the review queue, the audit log, flagging, and the post and thread actions. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ModerationPage {

    @CheckedTemplate
    static class Templates {
        /** The queue; {@code done}: what the facilitator's last decision did (null: none just made). */
        static native TemplateInstance review(Viewer viewer, List<ReviewQueue.QueueItem> items, SentForm sent, String done);

        static native TemplateInstance audit(Viewer viewer, List<AuditLogReader.AuditLine> entries, AuditFilter filter,
                SentForm sent);

        static native TemplateInstance flag(Viewer viewer, PostView post, Map<String, String> reasons, String reason,
                String text, Map<String, String> errors, String notice);

        /**
         * The move dialog: the channels the thread may go to ({@code targets}), and what was sent ({@code sent.form}
         * "move": channel, reason, confirm) with why it was refused.
         */
        static native TemplateInstance move(Viewer viewer, ThreadDetail thread, List<ThreadModeration.MoveTarget> targets,
                SentForm sent);

        /**
         * A post's hide or block form ({@code sent.form}: "hide" or "block-author") shown again, with the reason as it
         * was sent and why it was refused.
         */
        static native TemplateInstance postAction(Viewer viewer, PostView post, SentForm sent);

        /** The thread's removal form shown again, with what was sent and why it was refused. */
        static native TemplateInstance removal(Viewer viewer, ThreadDetail thread, String action, String reason,
                Map<String, String> errors, String notice);
    }

    public record AuditFilter(String actor, String action, String from, String to) {
    }


    private final Viewers viewers;
    private final ReviewQueue review;
    private final PostModeration posts;
    private final ThreadModeration threadModeration;
    private final MemberModeration memberModeration;
    private final AuditLogReader auditLog;
    private final Facilitators facilitators;
    private final ThreadService threads;

    public ModerationPage(Viewers viewers, ReviewQueue review, PostModeration posts, ThreadModeration threadModeration,
            MemberModeration memberModeration, AuditLogReader auditLog,
            Facilitators facilitators, ThreadService threads) {
        this.viewers = viewers;
        this.review = review;
        this.posts = posts;
        this.threadModeration = threadModeration;
        this.memberModeration = memberModeration;
        this.auditLog = auditLog;
        this.facilitators = facilitators;
        this.threads = threads;
    }

    /**
     * The review queue; {@code decided} (a decision's code, set by the redirect after one) says what was just done, and
     * the page says so once above the queue.
     */
    @GET
    @Path("review")
    public Uni<TemplateInstance> review(@RestQuery String decided) {
        return viewers.current().flatMap(viewer -> facilitators.requireFacilitator(viewer)
                .flatMap(x -> review.queue(viewer))
                .map(items -> Templates.review(viewer, items, SentForm.NONE, ReviewDecision.done(decided))));
    }

    /** A decision on an item: done, 303 to the queue, which says what was done; refused, the queue with the form kept. */
    @POST
    @Path("review/{postId}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> decide(@RestPath long postId, @RestForm String action, @RestForm String reason,
            @RestForm String body) {
        return viewers.current().flatMap(viewer -> Forms.submit(
                () -> review.decide(viewer, postId, action, reason, body)
                        .map(x -> "/review?decided=" + ReviewDecision.of(action).code()),
                e -> review.queue(viewer).map(items -> Templates.review(viewer, items,
                        SentForm.keyed("decision", postId, e, "action", action, "reason", reason, "body", body), null))));
    }

    /** The audit log with its filter; a filter that cannot be read (a date that is not one) shows the page again with it. */
    @GET
    @Path("audit")
    public Uni<RestResponse<String>> audit(@RestQuery String actor, @RestQuery String action, @RestQuery String from,
            @RestQuery String to) {
        AuditFilter filter = new AuditFilter(actor, action, from, to);
        return viewers.current().flatMap(viewer -> Uni.createFrom()
                .deferred(() -> auditLog.audit(viewer, actor, action, ModerationResource.date(from, "from"),
                        ModerationResource.date(to, "to")))
                .flatMap(entries -> Forms.shown(Templates.audit(viewer, entries, filter, SentForm.NONE), 200))
                .onFailure(e -> e instanceof DomainException d && d.status() == 400)
                .recoverWithUni(e -> Forms.shown(Templates.audit(viewer, List.of(), filter, SentForm.of("audit-filter",
                        (DomainException) e, "actor", actor, "action", action, "from", from, "to", to)), (DomainException) e)));
    }

    @GET
    @Path("posts/{id}/flag")
    public Uni<TemplateInstance> flagForm(@RestPath long id) {
        return viewers.current().flatMap(viewer -> visiblePost(viewer, id)
                .map(post -> Templates.flag(viewer, post, FlagReason.LABELS, null, null, Map.of(), null)));
    }

    @POST
    @Path("posts/{id}/flag")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> flag(@RestPath long id, @RestForm String reason, @RestForm String text) {
        return viewers.current().flatMap(viewer -> threads.source(viewer, id).flatMap(source -> {
            Guardian.ensureFound(source, "The post");
            return Forms.submit(() -> review.flag(viewer, id, reason, text).map(x -> "/posts/" + id),
                    e -> visiblePost(viewer, id).map(post -> Templates.flag(viewer, post, FlagReason.LABELS,
                            reason, text, e.fieldErrors(), e.getMessage())));
        }));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/hide")
    public Uni<RestResponse<String>> hide(@RestPath long id, @RestForm String reason) {
        String why = reason == null || reason.isBlank() ? "Hidden by a facilitator" : reason;
        return actWithReason(id, "hide", reason, viewer -> posts.hide(viewer, id, why, true));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/unhide")
    public Uni<RestResponse<String>> unhide(@RestPath long id) {
        return act(id, viewer -> posts.hide(viewer, id, null, false));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/approve")
    public Uni<RestResponse<String>> approve(@RestPath long id) {
        return act(id, viewer -> posts.approve(viewer, id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/block-author")
    public Uni<RestResponse<String>> block(@RestPath long id, @RestForm String reason) {
        String why = reason == null || reason.isBlank() ? "Blocked from the thread page" : reason;
        return actWithReason(id, "block-author", reason, viewer -> posts.blockAuthor(viewer, id, why));
    }

    @POST
    @Path("threads/{id}/state")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> state(@RestPath long id, @RestForm String state, @RestForm String on) {
        ThreadState chosen = ThreadState.of(state);
        return viewers.current().flatMap(viewer -> threadModeration.threadState(viewer, id, chosen, "true".equals(on), null))
                .map(x -> seeOther("/threads/" + id));
    }

    /**
     * A facilitator hides ({@code action=hide}) or deletes ({@code action=delete}) a whole thread, with a reason (the
     * form under "Facilitator tools" on the thread page); its author is told. Refused for a reason the person can act on
     * ({@link Forms#showsForm}: no reason, already hidden, suspended, a rate limit): the form again with the reason kept
     * and why. A facilitator's tool is no one else's form: a viewer who does not moderate the thread gets the refusal.
     */
    @POST
    @Path("threads/{id}/removal")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> remove(@RestPath long id, @RestForm String action, @RestForm String reason) {
        return viewers.current().flatMap(viewer -> Uni.createFrom().deferred(() -> {
            if ("delete".equals(action)) {
                return threadModeration.deleteThread(viewer, id, reason);
            }
            if ("hide".equals(action)) {
                return threadModeration.hideThread(viewer, id, reason, true);
            }
            throw DomainException.invalid(Map.of("action", "Choose to hide or to delete the thread."));
        })
                .map(x -> seeOther("/threads/" + id))
                .onFailure(Forms::showsForm)
                .recoverWithUni(e -> removalForm(viewer, id).flatMap(thread -> {
                    if (!thread.moderator()) {
                        throw (DomainException) e;
                    }
                    return Forms.shown(Templates.removal(viewer, thread, action, reason,
                            ((DomainException) e).fieldErrors(), e.getMessage()), (DomainException) e);
                })));
    }

    @POST
    @Path("threads/{id}/unhide")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> unhideThread(@RestPath long id) {
        return viewers.current().flatMap(viewer -> threadModeration.hideThread(viewer, id, null, false))
                .map(x -> seeOther("/threads/" + id));
    }

    private Uni<ThreadDetail> removalForm(Viewer viewer, long id) {
        return threads.thread(viewer, id, 0, false).map(thread -> Guardian.ensureFound(thread, "The thread"));
    }

    /**
     * The move dialog: only the channels the thread may go to are offered ({@link ThreadModeration#moveTargets}), with a
     * reason its author is told. 404 for a thread the viewer may not see, 403 when they do not moderate it.
     */
    @GET
    @Path("threads/{id}/move")
    public Uni<TemplateInstance> moveForm(@RestPath long id) {
        return viewers.current().flatMap(viewer -> thread(viewer, id).flatMap(thread -> threadModeration
                .moveTargets(viewer, id).map(targets -> Templates.move(viewer, thread, targets, SentForm.NONE))));
    }

    /**
     * Moves the thread: done, 303 to it; refused for what was sent (a channel it may not go to, a wider audience not
     * confirmed, a reason that cannot be kept, a rate limit): the dialog again with the choice and the reason kept and
     * why. A viewer who does not moderate the thread gets the refusal.
     */
    @POST
    @Path("threads/{id}/move")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> move(@RestPath long id, @RestForm String channel, @RestForm String confirm,
            @RestForm String reason) {
        return viewers.current().flatMap(viewer -> Forms.submit(
                () -> threadModeration.move(viewer, id, channel, "true".equals(confirm), reason).map(x -> "/threads/" + id),
                e -> thread(viewer, id).flatMap(thread -> threadModeration.moveTargets(viewer, id).map(targets -> Templates
                        .move(viewer, thread, targets, SentForm.of("move", e, "channel", channel, "reason", reason,
                                "confirm", confirm))))));
    }

    /**
     * A facilitator of an undiscussables channel holds its anonymous posts for approval ({@code on=true}) or publishes
     * them at once again ({@code on=false}), from the channel page: 303 back to it. Audited as the API's switch
     * ({@link PostModeration#requireApproval}); refused as it (404, 403, 409), on the error page: the switch has nothing
     * typed to keep.
     */
    @POST
    @Path("channels/{slug}/approval")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> approval(@RestPath String slug, @RestForm String on) {
        return viewers.current().flatMap(viewer -> posts.requireApproval(viewer, slug, "true".equals(on)))
                .map(x -> seeOther("/channels/" + slug)); // a slug found above is [a-z0-9-]: nothing to encode
    }

    private Uni<RestResponse<String>> act(long postId, java.util.function.Function<Viewer, Uni<Void>> action) {
        return viewers.current().flatMap(viewer -> threads.source(viewer, postId).flatMap(source -> {
            Guardian.ensureFound(source, "The post");
            return action.apply(viewer).map(x -> seeOther("/threads/" + source.threadId() + "#post-" + source.number()));
        }));
    }

    /**
     * A post action with a reason typed in the thread page's form ({@code form}: "hide" or "block-author"): done, 303
     * back to the post; refused for what was sent ({@link Forms}), the form again on a page of its own with the reason
     * kept. A facilitator's tool is no one else's form: a viewer who does not moderate the post gets the refusal.
     */
    private Uni<RestResponse<String>> actWithReason(long postId, String form, String reason,
            java.util.function.Function<Viewer, Uni<Void>> action) {
        return viewers.current().flatMap(viewer -> threads.source(viewer, postId).flatMap(source -> {
            Guardian.ensureFound(source, "The post");
            return Forms.submit(() -> action.apply(viewer).map(x -> "/threads/" + source.threadId() + "#post-" + source.number()),
                    e -> {
                        if (e.status() == 403) {
                            throw e;
                        }
                        return visiblePost(viewer, postId).map(post -> Templates.postAction(viewer, post,
                                SentForm.of(form, e, "reason", reason)));
                    });
        }));
    }

    private Uni<PostView> visiblePost(Viewer viewer, long id) {
        return threads.post(viewer, id).map(post -> Guardian.ensureFound(post == null || post.deleted() ? null : post,
                "The post"));
    }

    private Uni<ThreadDetail> thread(Viewer viewer, long id) {
        return threads.thread(viewer, id, 0, false).map(thread -> {
            Guardian.ensureFound(thread, "The thread");
            if (!thread.moderator()) {
                throw DomainException.forbidden("Only the facilitators of this channel can move its threads.");
            }
            return thread;
        });
    }

    private static RestResponse<String> seeOther(String location) {
        return RestResponse.seeOther(URI.create(location));
    }
}
