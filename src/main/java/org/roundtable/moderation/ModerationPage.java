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
import org.roundtable.channel.ChannelService;
import org.roundtable.channel.ChannelSummary;
import org.roundtable.member.MemberDirectory;
import org.roundtable.member.MemberPage;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.thread.PostView;
import org.roundtable.thread.ThreadDetail;
import org.roundtable.thread.ThreadService;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Forms;
import org.roundtable.web.SentForm;

/** The facilitators' pages: the review queue, the audit log, flagging, and the post and thread actions. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ModerationPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance review(Viewer viewer, List<ModerationService.QueueItem> items, SentForm sent);

        static native TemplateInstance audit(Viewer viewer, List<ModerationService.AuditEntry> entries, AuditFilter filter,
                SentForm sent);

        static native TemplateInstance flag(Viewer viewer, PostView post, Map<String, String> reasons, String reason,
                String text, Map<String, String> errors, String notice);

        static native TemplateInstance move(Viewer viewer, ThreadDetail thread, List<ChannelSummary> channels, String channel,
                String notice, boolean askConfirmation);

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
    private final ModerationService moderation;
    private final ThreadService threads;
    private final ChannelService channels;
    private final org.roundtable.member.MemberService members;
    private final MemberDirectory directory;

    public ModerationPage(Viewers viewers, ModerationService moderation, ThreadService threads, ChannelService channels,
            org.roundtable.member.MemberService members, MemberDirectory directory) {
        this.members = members;
        this.directory = directory;
        this.viewers = viewers;
        this.moderation = moderation;
        this.threads = threads;
        this.channels = channels;
    }

    @GET
    @Path("review")
    public Uni<TemplateInstance> review() {
        return viewers.current().flatMap(viewer -> moderation.requireFacilitator(viewer)
                .flatMap(x -> moderation.queue(viewer)).map(items -> Templates.review(viewer, items, SentForm.NONE)));
    }

    @POST
    @Path("review/{postId}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> decide(@RestPath long postId, @RestForm String action, @RestForm String reason,
            @RestForm String body) {
        return viewers.current().flatMap(viewer -> Forms.submit(
                () -> moderation.decide(viewer, postId, action, reason, body).map(x -> "/review"),
                e -> moderation.queue(viewer).map(items -> Templates.review(viewer, items,
                        SentForm.keyed("decision", postId, e, "action", action, "reason", reason, "body", body)))));
    }

    /** The audit log with its filter; a filter that cannot be read (a date that is not one) shows the page again with it. */
    @GET
    @Path("audit")
    public Uni<RestResponse<String>> audit(@RestQuery String actor, @RestQuery String action, @RestQuery String from,
            @RestQuery String to) {
        AuditFilter filter = new AuditFilter(actor, action, from, to);
        return viewers.current().flatMap(viewer -> Uni.createFrom()
                .deferred(() -> moderation.audit(viewer, actor, action, ModerationResource.date(from, "from"),
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
                .map(post -> Templates.flag(viewer, post, ModerationService.FLAG_REASONS, null, null, Map.of(), null)));
    }

    @POST
    @Path("posts/{id}/flag")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> flag(@RestPath long id, @RestForm String reason, @RestForm String text) {
        return viewers.current().flatMap(viewer -> threads.source(viewer, id).flatMap(source -> {
            Guardian.ensureFound(source, "The post");
            return Forms.submit(() -> moderation.flag(viewer, id, reason, text).map(x -> "/posts/" + id),
                    e -> visiblePost(viewer, id).map(post -> Templates.flag(viewer, post, ModerationService.FLAG_REASONS,
                            reason, text, e.fieldErrors(), e.getMessage())));
        }));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/hide")
    public Uni<RestResponse<String>> hide(@RestPath long id, @RestForm String reason) {
        String why = reason == null || reason.isBlank() ? "Hidden by a facilitator" : reason;
        return actWithReason(id, "hide", reason, viewer -> moderation.hide(viewer, id, why, true));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/unhide")
    public Uni<RestResponse<String>> unhide(@RestPath long id) {
        return act(id, viewer -> moderation.hide(viewer, id, null, false));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/approve")
    public Uni<RestResponse<String>> approve(@RestPath long id) {
        return act(id, viewer -> moderation.approve(viewer, id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("posts/{id}/block-author")
    public Uni<RestResponse<String>> block(@RestPath long id, @RestForm String reason) {
        String why = reason == null || reason.isBlank() ? "Blocked from the thread page" : reason;
        return actWithReason(id, "block-author", reason, viewer -> moderation.blockAuthor(viewer, id, why));
    }

    @POST
    @Path("threads/{id}/state")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> state(@RestPath long id, @RestForm String state, @RestForm String on) {
        if (state == null || !List.of("locked", "pinned", "closed").contains(state)) {
            throw DomainException.invalid(Map.of("state", "Choose locked, pinned or closed."));
        }
        return viewers.current().flatMap(viewer -> moderation.threadState(viewer, id, state, "true".equals(on), null))
                .map(x -> seeOther("/threads/" + id));
    }

    /**
     * A facilitator hides ({@code action=hide}) or deletes ({@code action=delete}) a whole thread, with a reason (the
     * form under "Facilitator tools" on the thread page). Refused for what was sent (no reason, already hidden): the form
     * again with the reason kept.
     */
    @POST
    @Path("threads/{id}/removal")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> remove(@RestPath long id, @RestForm String action, @RestForm String reason) {
        return viewers.current().flatMap(viewer -> Uni.createFrom().deferred(() -> {
            if ("delete".equals(action)) {
                return moderation.deleteThread(viewer, id, reason);
            }
            if ("hide".equals(action)) {
                return moderation.hideThread(viewer, id, reason, true);
            }
            throw DomainException.invalid(Map.of("action", "Choose to hide or to delete the thread."));
        })
                .map(x -> seeOther("/threads/" + id))
                .onFailure(e -> e instanceof DomainException d && (d.status() == 400 || d.status() == 409))
                .recoverWithUni(e -> removalForm(viewer, id).flatMap(thread -> Forms.shown(Templates.removal(viewer,
                        thread, action, reason, ((DomainException) e).fieldErrors(), e.getMessage()),
                        (DomainException) e))));
    }

    @POST
    @Path("threads/{id}/unhide")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> unhideThread(@RestPath long id) {
        return viewers.current().flatMap(viewer -> moderation.hideThread(viewer, id, null, false))
                .map(x -> seeOther("/threads/" + id));
    }

    private Uni<ThreadDetail> removalForm(Viewer viewer, long id) {
        return threads.thread(viewer, id, 0, false).map(thread -> Guardian.ensureFound(thread, "The thread"));
    }

    @GET
    @Path("threads/{id}/move")
    public Uni<TemplateInstance> moveForm(@RestPath long id) {
        return viewers.current().flatMap(viewer -> thread(viewer, id).flatMap(thread -> channels.channels(viewer)
                .map(list -> Templates.move(viewer, thread, list, null, null, false))));
    }

    @POST
    @Path("threads/{id}/move")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> move(@RestPath long id, @RestForm String channel, @RestForm String confirm) {
        return viewers.current().flatMap(viewer -> Forms.submit(
                () -> moderation.move(viewer, id, channel, "true".equals(confirm), null).map(x -> "/threads/" + id),
                e -> thread(viewer, id).flatMap(thread -> channels.channels(viewer).map(list -> Templates
                        .move(viewer, thread, list, channel, e.getMessage(), e.getMessage().contains("wider audience"))))));
    }

    @POST
    @Path("members/{username}/suspension")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> suspend(@RestPath String username, @RestForm String until, @RestForm String reason) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> Forms.submit(
                () -> moderation.suspend(viewer, id, ModerationResource.date(until, "until"), reason).map(x -> profile(username)),
                e -> directory.member(viewer, username).map(entry -> MemberPage.render(viewer, entry,
                        SentForm.of("suspension", e, "until", until, "reason", reason), null)))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("members/{username}/unsuspend")
    public Uni<RestResponse<String>> unsuspend(@RestPath String username) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> moderation.unsuspend(viewer, id)))
                .map(x -> seeOther("/members/" + username));
    }

    /**
     * A cohort's facilitator (or an admin) silences a member of that cohort from the member's profile: until a time
     * (date or date and time, UTC; empty: until lifted), with a reason. A mistake shows the profile again with the form
     * as it was sent.
     */
    @POST
    @Path("members/{username}/silence")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> silence(@RestPath String username, @RestForm String cohort, @RestForm String until,
            @RestForm String reason) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> Forms.submit(
                () -> moderation.silence(viewer, cohort, id, silenceEnd(until), reason, true)
                        .map(x -> profile(username) + "?silenced=" + encode(cohort) + "#silence"),
                e -> directory.member(viewer, username).map(entry -> MemberPage.render(viewer, entry,
                        SentForm.keyed("silence", cohort, e, "until", until, "reason", reason), null)))));
    }

    @POST
    @Path("members/{username}/silence/{cohort}/lift")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> liftSilence(@RestPath String username, @RestPath String cohort) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> moderation.silence(viewer, cohort, id,
                null, null, false))).map(x -> seeOther(profile(username) + "?lifted=" + encode(cohort) + "#silence"));
    }

    /** The end of a silence as the form sends it: a date (its start), or a date and time (datetime-local), in UTC. */
    static java.time.OffsetDateTime silenceEnd(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        org.roundtable.web.Input.noNul("until", value);
        String text = value.strip();
        java.time.OffsetDateTime end = null;
        for (java.util.function.Function<String, java.time.OffsetDateTime> parse : List.<java.util.function.Function<String, java.time.OffsetDateTime>>of(
                v -> java.time.LocalDateTime.parse(v).atOffset(java.time.ZoneOffset.UTC),
                v -> java.time.LocalDate.parse(v).atStartOfDay().atOffset(java.time.ZoneOffset.UTC),
                java.time.OffsetDateTime::parse)) {
            try {
                end = parse.apply(text);
                break;
            } catch (java.time.format.DateTimeParseException notThisForm) {
                // the next form
            }
        }
        if (end == null) {
            throw DomainException.invalid(Map.of("until",
                    "Use a date and time like 2026-12-31T18:00 (UTC), or leave it empty: until it is lifted."));
        }
        return org.roundtable.web.Input.date("until", end);
    }

    private static String profile(String username) {
        return "/members/" + encode(username);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value == null ? "" : value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Uni<Long> member(String username) {
        return members.profile(username).map(profile -> Guardian.ensureFound(profile, "The member").id());
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
                        if (Guardian.MODERATORS_ONLY.equals(e.getMessage())) {
                            throw e;
                        }
                        return visiblePost(viewer, postId).map(post -> Templates.postAction(viewer, post,
                                SentForm.of(form, e, "reason", reason)));
                    });
        }));
    }

    private Uni<PostView> visiblePost(Viewer viewer, long id) {
        return threads.post(viewer, id).map(post -> {
            if (post == null || post.deleted()) {
                throw DomainException.notFound("The post");
            }
            return post;
        });
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
