package org.roundtable.notification;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.roundtable.anonymity.AnonymityConfig;
import org.roundtable.security.Viewers;

@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    private final Viewers viewers;
    private final NotificationService notifications;
    private final AnonymityConfig anonymity;

    public NotificationResource(Viewers viewers, NotificationService notifications, AnonymityConfig anonymity) {
        this.viewers = viewers;
        this.notifications = notifications;
        this.anonymity = anonymity;
    }

    public record Notifications(int unread, List<NotificationService.Notification> notifications,
            List<NotificationService.AnonymousReply> repliesToYourAnonymousPosts,
            List<NotificationService.AnonymousRemoval> yourAnonymousPostsRemoved) {
    }

    @GET
    @Path("notifications")
    @Operation(summary = "Your notifications; replies to your anonymous posts and facilitators' removals of them (computed, never stored)")
    public Uni<Notifications> list() {
        return viewers.current().flatMap(viewer -> notifications.unreadCount(viewer)
                .flatMap(unread -> notifications.recent(viewer, 50)
                        .flatMap(stored -> notifications.anonymousActivity(viewer, anonymity.replyLookbackDays(), 50)
                                .map(computed -> new Notifications(unread, stored, computed.replies(), computed.removals())))));
    }

    /** {@code ids}: the notifications to mark read; absent or null marks all of them. */
    public record MarkRead(List<Long> ids) {
    }

    public record Marked(int marked) {
    }

    @POST
    @Path("notifications/read")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark notifications read: the ids given, or all of them")
    public Uni<Marked> read(MarkRead body) {
        return viewers.current().flatMap(viewer -> notifications.markRead(viewer, body == null ? null : body.ids()))
                .map(Marked::new);
    }
}
