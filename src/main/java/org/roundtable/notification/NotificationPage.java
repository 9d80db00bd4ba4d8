package org.roundtable.notification;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

/**
 * The notifications page: stored notifications with read and unread, and what is computed about the viewer's anonymous
 * posts (replies to them, and facilitators' removals of them with the reason).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class NotificationPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notifications(Viewer viewer, List<NotificationGroups.Item> notifications,
                List<NotificationService.AnonymousReply> anonymousReplies,
                List<NotificationService.AnonymousRemoval> anonymousRemovals, int lookbackDays, boolean later,
                NotificationGroups.Cursor next);
    }

    private final Viewers viewers;
    private final NotificationService notifications;
    private final AnonymityConfig anonymity;
    private final NotificationGroups groups;

    public NotificationPage(Viewers viewers, NotificationService notifications, AnonymityConfig anonymity,
            NotificationGroups groups) {
        this.viewers = viewers;
        this.notifications = notifications;
        this.anonymity = anonymity;
        this.groups = groups;
    }

    /** How many notifications a page lists. */
    static final int PAGE_SIZE = 30;

    /**
     * The notifications, newest first, grouped (NotificationGroups: replies in one thread are one item), {@link #PAGE_SIZE}
     * items a page; {@code before} is the cursor of an "Older" link (a value that is not one shows the first page).
     */
    @GET
    @Path("notifications")
    public Uni<TemplateInstance> page(@QueryParam("before") String before) {
        NotificationGroups.Cursor after = NotificationGroups.Cursor.parse(before);
        return viewers.current().flatMap(viewer -> groups.page(viewer, after, PAGE_SIZE)
                .flatMap(stored -> notifications.anonymousActivity(viewer, anonymity.replyLookbackDays(), 50)
                        .map(computed -> Templates.notifications(viewer, stored.items(), computed.replies(),
                                computed.removals(), anonymity.replyLookbackDays(), after != null, stored.next()))));
    }

    /**
     * Opens a notification: marks it read and answers 303 to what it is about (the post in its thread); to the list
     * when the viewer has no such notification. With {@code group=true}, the item of a group (opened from its oldest
     * notification): every notification of the group is marked read.
     */
    @GET
    @Path("notifications/{id}/open")
    public Uni<RestResponse<Void>> open(@PathParam("id") long id, @QueryParam("group") boolean group) {
        return viewers.current().flatMap(viewer -> group ? groups.openGroup(viewer, id) : notifications.open(viewer, id))
                .map(link -> RestResponse.seeOther(URI.create(link == null ? "/notifications" : link)));
    }

    /** Marks one notification read ({@code id}), or all of them when no id is sent. */
    @POST
    @Path("notifications/read")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Void>> read(@FormParam("id") Long id) {
        return viewers.current().flatMap(viewer -> notifications.markRead(viewer, id == null ? null : List.of(id)))
                .map(n -> RestResponse.seeOther(URI.create("/notifications")));
    }
}
