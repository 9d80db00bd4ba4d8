package org.roundtable.notification;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
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

/** The notifications page: stored notifications with read and unread, and the computed replies to anonymous posts. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class NotificationPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notifications(Viewer viewer, List<NotificationService.Notification> notifications,
                List<NotificationService.AnonymousReply> anonymousReplies, int lookbackDays);
    }

    private final Viewers viewers;
    private final NotificationService notifications;
    private final AnonymityConfig anonymity;

    public NotificationPage(Viewers viewers, NotificationService notifications, AnonymityConfig anonymity) {
        this.viewers = viewers;
        this.notifications = notifications;
        this.anonymity = anonymity;
    }

    @GET
    @Path("notifications")
    public Uni<TemplateInstance> page() {
        return viewers.current().flatMap(viewer -> notifications.recent(viewer, 100)
                .flatMap(stored -> notifications.repliesToMyAnonymousPosts(viewer, anonymity.replyLookbackDays(), 50)
                        .map(replies -> Templates.notifications(viewer, stored, replies, anonymity.replyLookbackDays()))));
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
