package org.roundtable.channel;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.follow.FollowService;
import org.roundtable.follow.Target;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.problem.DomainException;
import org.roundtable.thread.ComposerForm;
import org.roundtable.thread.PostRules;
import org.roundtable.thread.ThreadPage;
import org.roundtable.thread.IdempotencyKeys;
import org.roundtable.thread.PostCreator;
import org.roundtable.thread.PostRenderer;
import org.roundtable.web.Forms;

/**
 * The channel list, a channel's threads, and starting a thread in a channel ({@code /channels/{slug}/new}, through
 * PostCreator, with the thread composer's preview), as pages. The class path is "/", as every page's: Quarkus REST
 * routes a request within the one resource class whose path matches best, so a "/channels" class would hide other
 * classes' "/channels/..." routes (FollowPage's follow form).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ChannelPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance channels(Viewer viewer, List<ChannelSummary> channels);

        static native TemplateInstance channel(Viewer viewer, ChannelService.ThreadList list, String nextPage,
                FollowService.Current follow);

        static native TemplateInstance newThread(Viewer viewer, ChannelSummary channel, ComposerForm form);
    }

    private final Viewers viewers;
    private final ChannelService channels;
    private final FollowService follows;
    private final PostCreator threads;
    private final PostRenderer renderer;

    public ChannelPage(Viewers viewers, ChannelService channels, FollowService follows, PostCreator threads,
            PostRenderer renderer) {
        this.viewers = viewers;
        this.channels = channels;
        this.follows = follows;
        this.threads = threads;
        this.renderer = renderer;
    }

    @GET
    @Path("channels")
    public Uni<TemplateInstance> list() {
        return viewers.current().flatMap(viewer -> channels.channels(viewer).map(list -> Templates.channels(viewer, list)));
    }

    /** A page of the channel's threads; an unknown channel, or one the viewer may not see, is a 404 page. */
    @GET
    @Path("channels/{slug}")
    public Uni<TemplateInstance> channel(@RestPath String slug, @RestQuery String cursor) {
        return viewers.current().flatMap(viewer -> channels.threads(viewer, slug, cursor)
                .flatMap(list -> follows.current(viewer, Target.channel(slug)).map(follow -> Templates.channel(viewer,
                        list, list.nextCursor() == null ? null
                                : "/channels/" + slug + "?cursor=" + URLEncoder.encode(list.nextCursor(), StandardCharsets.UTF_8),
                        follow))));
    }

    // ---------------------------------------------------------------- new thread (at the channel's address)

    @GET
    @Path("channels/{slug}/new")
    public Uni<TemplateInstance> newThread(@RestPath String slug) {
        return viewers.current().flatMap(viewer -> channel(viewer, slug)
                .map(channel -> Templates.newThread(viewer, channel, ComposerForm.thread("", "", "", null))));
    }

    @POST
    @Path("channels/{slug}/threads")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> createThread(@RestPath String slug, @RestForm String title, @RestForm String body,
            @RestForm String tags, @RestForm String idempotencyKey, @RestForm String action) {
        ComposerForm form = ComposerForm.thread(title, body, tags, idempotencyKey);
        return viewers.current().flatMap(viewer -> channel(viewer, slug).flatMap(channel -> {
            if ("preview".equals(action)) {
                return ThreadPage.preview(renderer, form, PostRenderer.Audience.channel(slug), f -> Templates.newThread(viewer, channel, f));
            }
            return Forms.submit(() -> threads.createThread(viewer, slug, title, body, PostRules.parseTags(tags),
                    IdempotencyKeys.fromForm(form.idempotencyKey())).map(created -> "/threads/" + created.threadId()),
                    e -> Uni.createFrom().item(Templates.newThread(viewer, channel, form.withError(e))));
        }));
    }

    private Uni<ChannelSummary> channel(Viewer viewer, String slug) {
        return channels.channel(viewer, slug).map(channel -> {
            if (channel == null) {
                throw DomainException.notFound("The channel \"" + slug + "\"");
            }
            return channel;
        });
    }
}
