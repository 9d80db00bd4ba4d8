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

    /**
     * Where "Ask the cohort" leads: the cohort's first named channel (the "General" every new cohort gets, or the
     * first a facilitator made), when the viewer is a member who may start a thread there; null when they may not
     * (not a member, the cohort archived, suspended or silenced) or the cohort has no named channel.
     */
    public ChannelSummary askIn() {
        if (!cohort.isMember() || cohort.archived()) {
            return null;
        }
        return channels.stream().filter(ch -> !ch.undiscussables()).findFirst()
                .filter(ch -> ch.readOnly() == null).orElse(null);
    }
}
