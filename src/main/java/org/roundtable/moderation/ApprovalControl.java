package org.roundtable.moderation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.concurrent.CompletionStage;
import org.roundtable.security.Viewer;

/**
 * The "hold anonymous posts for approval" switch on an undiscussables channel's page, for its facilitators
 * ({@code inject:approvalControl.of(viewer, channelId)} in ChannelPage/channel.html; the form posts to
 * {@link ModerationPage#approval}).
 */
@Named("approvalControl")
@ApplicationScoped
public class ApprovalControl {

    private final PostModeration posts;

    public ApprovalControl(PostModeration posts) {
        this.posts = posts;
    }

    /** Resolved while the page renders, without blocking ({@link PostModeration#approvalSetting}). */
    public CompletionStage<PostModeration.ApprovalSetting> of(Viewer viewer, long channelId) {
        return posts.approvalSetting(viewer, channelId).subscribeAsCompletionStage();
    }
}
