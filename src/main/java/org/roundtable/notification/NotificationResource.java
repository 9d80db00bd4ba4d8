package org.roundtable.notification;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
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

    public record Notifications(List<NotificationService.Notification> notifications,
            List<NotificationService.AnonymousReply> repliesToYourAnonymousPosts) {
    }

    @GET
    @Path("notifications")
    @Operation(summary = "Your notifications, and replies to your anonymous posts (computed, never stored)")
    public Uni<Notifications> list() {
        return viewers.current().flatMap(viewer -> notifications.recent(viewer, 50)
                .flatMap(stored -> notifications.repliesToMyAnonymousPosts(viewer, anonymity.replyLookbackDays(), 50)
                        .map(replies -> new Notifications(stored, replies))));
    }
}
