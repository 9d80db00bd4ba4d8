package org.roundtable.notification;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.concurrent.CompletionStage;
import org.roundtable.security.Viewer;

/** The unread count in the header of every page ({@code inject:notificationCount.unread(viewer)} in base.html). */
@Named("notificationCount")
@ApplicationScoped
public class NotificationCount {

    private final NotificationService notifications;

    public NotificationCount(NotificationService notifications) {
        this.notifications = notifications;
    }

    /** Resolved while the page renders, without blocking: one statement per page for a member, none for a guest. */
    public CompletionStage<Integer> unread(Viewer viewer) {
        return notifications.unreadCount(viewer).subscribeAsCompletionStage();
    }
}
