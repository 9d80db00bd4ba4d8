package org.roundtable.thread;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.follow.FollowService;
import org.roundtable.follow.Target;
import org.roundtable.security.CsrfTokens;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.thread.markdown.MarkdownRenderer;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Forms;

/**
 * The thread page with its reply tree, and the forms that write to it: the composers (reply, edit; a new thread's is
 * channel/ChannelPage's, at the channel's address), delete,
 * reactions and the accepted answer. Every form works without JavaScript: a POST answers 303 See Other to the page
 * that shows the result, or, when refused (400, 409), shows the form again with the input kept and the fields marked.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ThreadPage {

    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance thread(Viewer viewer, ThreadView view, FollowService.Current follow);

        static native TemplateInstance reply(Viewer viewer, ThreadDetail thread, PostView parent, ComposerForm form);

        static native TemplateInstance edit(Viewer viewer, ThreadService.PostSource post, String current, ComposerForm form);

        static native TemplateInstance revisions(Viewer viewer, PostView post, List<ThreadService.Revision> revisions);

        /** One post's card on the thread page (rendered and kept by {@link PostCards}). */
        static native TemplateInstance postCard(PostView post, ThreadView view, boolean summary, String csrfName,
                String csrfToken);

        /** A reply in the page's tree: its card inside the opening of its article (rendered and kept by {@link PostCards}). */
        static native TemplateInstance replyCard(PostView post, ThreadView view, boolean summary, String csrfName,
                String csrfToken);
    }

    private final Viewers viewers;
    private final ThreadService threads;
    private final PostCreator creator;
    private final PostRevisor revisor;
    private final PostDestroyer destroyer;
    private final Reactions reactions;
    private final AcceptedAnswers answers;
    private final PostRenderer renderer;
    private final FollowService follows;
    private final PostCards cards;
    private final CsrfTokens csrf;

    public ThreadPage(Viewers viewers, ThreadService threads, PostWrites writes, FollowService follows, PostCards cards, CsrfTokens csrf) {
        this.viewers = viewers;
        this.threads = threads;
        this.creator = writes.creator();
        this.revisor = writes.revisor();
        this.destroyer = writes.destroyer();
        this.reactions = writes.reactions();
        this.answers = writes.answers();
        this.renderer = writes.renderer();
        this.follows = follows;
        this.cards = cards;
        this.csrf = csrf;
    }

    // ---------------------------------------------------------------- the thread

    /**
     * A page of the thread (1-based {@code page}); reading it marks it read. Unknown or not visible: a 404 page. A page
     * past the last (a link made before replies were deleted, hidden or moved, or typed by hand) answers 303 to the
     * last page: the thread is there, and its last page is the nearest to what the link showed; a 404 would say the
     * thread is gone, and an empty page that the conversation ended.
     */
    @GET
    @Path("threads/{id}")
    public Uni<RestResponse<byte[]>> thread(@RestPath long id, @RestQuery Integer page) {
        int index = page == null || page < 1 ? 0 : page - 1;
        return viewers.current().flatMap(viewer -> threads.thread(viewer, id, index, true).flatMap(thread -> {
            Guardian.ensureFound(thread, "The thread");
            if (thread.page() >= thread.pageCount()) {
                return Uni.createFrom().item(RestResponse.ResponseBuilder.<byte[]>create(RestResponse.Status.SEE_OTHER)
                        .location(URI.create(ThreadView.url(id, thread.pageCount() - 1))).build());
            }
            // the viewer's follow level, for the follow control (one more statement; none for a removed thread)
            return follows.current(viewer, Target.thread(id)).flatMap(follow -> Templates.thread(viewer,
                    cards.render(ThreadView.of(thread, viewer, UUID.randomUUID().toString()), csrf.getParameterName(),
                            csrf.getToken(), viewer.zone()), follow).createUni()).map(html -> utf8(html));
        }));
    }

    /**
     * The page as UTF-8 bytes, encoded at memory speed by {@link String#getBytes}: handed over as a String, it is
     * encoded a character at a time on its way out (a tenth of the thread page's CPU; docs/benchmarks.md).
     */
    private static RestResponse<byte[]> utf8(String html) {
        return RestResponse.ResponseBuilder.ok(html.getBytes(StandardCharsets.UTF_8), HTML).build();
    }

    /**
     * Where a list's "unread" link leads: 303 to the page of the thread that shows the first post the viewer has not
     * read (one that counts as new to them: not removed, not their own), at the "New since your last visit" line; to
     * the first page when there is none. Unknown or not visible: a 404 page.
     */
    @GET
    @Path("threads/{id}/unread")
    public Uni<RestResponse<String>> unread(@RestPath long id) {
        return viewers.current().flatMap(viewer -> threads.firstUnread(viewer, id)).map(first -> {
            Guardian.ensureFound(first, "The thread");
            return seeOther(ThreadView.url(id, first.page()) + (first.found() ? "#new" : ""));
        });
    }

    /** A post's permanent address: the page of its thread that shows it. */
    @GET
    @Path("posts/{id}")
    public Uni<RestResponse<String>> post(@RestPath long id) {
        return viewers.current().flatMap(viewer -> visibleSource(viewer, id))
                .flatMap(post -> backTo(post.threadId(), id, post.number()));
    }

    // ---------------------------------------------------------------- reply

    /** The reply composer: to the thread, or to one post ({@code to}), prefilled with a quote of it when asked. */
    @GET
    @Path("threads/{id}/reply")
    public Uni<TemplateInstance> replyForm(@RestPath long id, @RestQuery Long to, @RestQuery boolean quote) {
        return viewers.current().flatMap(viewer -> replyContext(viewer, id, to).map(context -> {
            ThreadService.PostSource source = context.source();
            String body = quote && source != null && !source.deleted()
                    ? MarkdownRenderer.quote(source.authorLabel(), "/threads/" + id + "#post-" + source.number(), source.source())
                    : "";
            return Templates.reply(viewer, context.thread(), context.parent(), ComposerForm.reply(body, to, null));
        }));
    }

    @POST
    @Path("threads/{id}/posts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> reply(@RestPath long id, @RestForm String body, @RestForm String replyTo,
            @RestForm String idempotencyKey, @RestForm String action) {
        Long parentId = parseId(replyTo, "replyTo");
        ComposerForm form = ComposerForm.reply(body, parentId, idempotencyKey);
        return viewers.current().flatMap(viewer -> {
            if (isPreview(action)) {
                return replyContext(viewer, id, parentId).flatMap(context -> preview(form, PostRenderer.Audience.thread(id),
                        f -> Templates.reply(viewer, context.thread(), context.parent(), f)));
            }
            return Forms.submit(() -> creator.reply(viewer, id, parentId, body, IdempotencyKeys.fromForm(form.idempotencyKey()))
                    .flatMap(created -> location(id, created.postId(), created.number())),
                    e -> replyContext(viewer, id, parentId).map(context -> Templates.reply(viewer, context.thread(),
                            context.parent(), form.withError(e))));
        });
    }

    private record ReplyContext(ThreadDetail thread, PostView parent, ThreadService.PostSource source) {
    }

    /** The thread replied to and the post replied to (null for the thread), both visible to the viewer, or a 404. */
    private Uni<ReplyContext> replyContext(Viewer viewer, long threadId, Long postId) {
        Uni<ThreadDetail> thread = threads.thread(viewer, threadId, 0, false).map(t -> Guardian.ensureFound(t, "The thread"));
        if (postId == null) {
            return thread.map(t -> new ReplyContext(t, null, null));
        }
        return thread.flatMap(t -> threads.source(viewer, postId).flatMap(source -> {
            if (source == null || source.threadId() != threadId) {
                throw DomainException.notFound("The post you are replying to");
            }
            return threads.post(viewer, postId).map(parent -> new ReplyContext(t, parent, source));
        }));
    }

    // ---------------------------------------------------------------- edit, delete, history

    @GET
    @Path("posts/{id}/edit")
    public Uni<TemplateInstance> editForm(@RestPath long id) {
        return viewers.current().flatMap(viewer -> ownSource(viewer, id)
                .map(post -> Templates.edit(viewer, post, null, ComposerForm.edit(post.source(), post.version()))));
    }

    @POST
    @Path("posts/{id}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> edit(@RestPath long id, @RestForm String body, @RestForm String version,
            @RestForm String action) {
        return viewers.current().flatMap(viewer -> ownSource(viewer, id).flatMap(post -> {
            Long edited = parseId(version, "version");
            ComposerForm form = ComposerForm.edit(body, edited == null ? post.version() : edited.intValue());
            if (isPreview(action)) {
                return preview(form, PostRenderer.Audience.post(id), f -> Templates.edit(viewer, post, null, f));
            }
            return Forms.submit(() -> revisor.edit(viewer, id, body, form.version())
                    .flatMap(saved -> location(saved.threadId(), saved.id(), saved.number())), refusal -> {
                        // Changed meanwhile: show what it says now, and let a second save (knowingly) replace it.
                        boolean stale = refusal.status() == 409;
                        return Uni.createFrom().item(Templates.edit(viewer, post, stale ? post.source() : null,
                                (stale ? form.withVersion(post.version()) : form).withError(refusal)));
                    });
        }));
    }

    @POST
    @Path("posts/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> delete(@RestPath long id) {
        return viewers.current().flatMap(viewer -> ownSource(viewer, id)
                .flatMap(post -> destroyer.delete(viewer, id).flatMap(x -> backTo(post.threadId(), id, post.number()))));
    }

    /** The author withdraws their thread (named or anonymous): 303 to its channel, where it is no longer listed. */
    @POST
    @Path("threads/{id}/withdraw")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> withdraw(@RestPath long id) {
        return viewers.current().flatMap(viewer -> destroyer.withdraw(viewer, id))
                .map(slug -> seeOther("/channels/" + slug));
    }

    /** Earlier versions of a post, newest first, under the text it has now. */
    @GET
    @Path("posts/{id}/revisions")
    public Uni<TemplateInstance> revisions(@RestPath long id) {
        return viewers.current().flatMap(viewer -> threads.post(viewer, id)
                .flatMap(post -> threads.revisions(viewer, id).map(revisions -> {
                    if (post == null || revisions == null) {
                        throw DomainException.notFound("The post");
                    }
                    return Templates.revisions(viewer, post, revisions);
                })));
    }

    // ---------------------------------------------------------------- reactions, answer

    /** Toggles a reaction: the button sends {@code on=true} to add it, {@code on=false} to take it back. */
    @POST
    @Path("posts/{id}/reactions/{kind}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> react(@RestPath long id, @RestPath String kind, @RestForm String on) {
        return viewers.current().flatMap(viewer -> visibleSource(viewer, id).flatMap(post -> attempt(
                () -> reactions.react(viewer, id, kind, !"false".equals(on)))
                .flatMap(x -> backTo(post.threadId(), id, post.number()))));
    }

    /** Marks a reply as the answer; an empty {@code postId} unmarks it. */
    @POST
    @Path("threads/{id}/answer")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> answer(@RestPath long id, @RestForm String postId) {
        Long answer = parseId(postId, "postId");
        return viewers.current().flatMap(viewer -> attempt(() -> answers.accept(viewer, id, answer)))
                .map(x -> seeOther("/threads/" + id + (answer == null ? "" : "#accepted-answer")));
    }

    // ---------------------------------------------------------------- helpers

    private Uni<ThreadService.PostSource> visibleSource(Viewer viewer, long postId) {
        return threads.source(viewer, postId).map(post -> Guardian.ensureFound(post, "The post"));
    }

    private Uni<ThreadService.PostSource> ownSource(Viewer viewer, long postId) {
        return visibleSource(viewer, postId).map(post -> {
            if (post.deleted()) {
                throw DomainException.notFound("The post");
            }
            if (!post.mine()) {
                throw DomainException.forbidden("Only the author of a post can edit or delete it.");
            }
            return post;
        });
    }

    /** 303 to the page of the thread that shows the post, at the post. */
    private Uni<RestResponse<String>> backTo(long threadId, long postId, int number) {
        return location(threadId, postId, number).map(Forms::seeOther);
    }

    /** The address of the page of the thread that shows the post, at the post. */
    private Uni<String> location(long threadId, long postId, int number) {
        return threads.pageOf(threadId, postId).map(page -> ThreadView.url(threadId, page) + "#post-" + number);
    }

    private Uni<RestResponse<String>> preview(ComposerForm form, PostRenderer.Audience audience,
            java.util.function.Function<ComposerForm, TemplateInstance> page) {
        return preview(renderer, form, audience, page);
    }

    /**
     * The composer with the rendered text under it (200), or, refused (too long, nested too deeply), with the reason:
     * for this page's composers and the new-thread composer (channel/ChannelPage).
     */
    public static Uni<RestResponse<String>> preview(PostRenderer renderer, ComposerForm form, PostRenderer.Audience audience,
            java.util.function.Function<ComposerForm, TemplateInstance> page) {
        return Uni.createFrom().deferred(() -> renderer.preview(form.body(), audience))
                .flatMap(rendered -> Forms.shown(page.apply(form.withPreview(rendered.html(), rendered.unseen())), 200))
                .onFailure(Forms::showsForm).recoverWithUni(e -> Forms.shown(page.apply(form.withError((DomainException) e)),
                        (DomainException) e));
    }

    /** Service methods check their input before they return a Uni: a refusal then becomes the Uni's failure. */
    private static <T> Uni<T> attempt(Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().deferred(call);
    }

    private static RestResponse<String> seeOther(String location) {
        return Forms.seeOther(location);
    }

    private static boolean isPreview(String action) {
        return "preview".equals(action);
    }

    private static Long parseId(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw DomainException.invalid(Map.of(field, "\"" + value + "\" is not a number."));
        }
    }
}
