package org.roundtable.cohort;

import java.util.List;
import org.roundtable.channel.ChannelService.ThreadInChannel;
import org.roundtable.channel.ChannelSummary;

/**
 * The cohort page: what it is, its channels, who is in it, what is new. {@code invitations} are its pending
 * invitations, for those who run the cohort only (empty for everyone else).
 */
public record CohortDetail(CohortSummary cohort, List<ChannelSummary> channels, List<CohortMember> facilitators,
        List<CohortMember> members, List<ThreadInChannel> recentThreads, List<Invitation> invitations,
        boolean canManage, boolean canFacilitate, boolean canInvite, boolean linkInvitations) {
}
