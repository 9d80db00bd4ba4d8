package org.roundtable.profile;

import org.roundtable.security.Guardian;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.roundtable.cohort.CohortService;
import org.roundtable.cohort.CohortService.SharedCohort;
import org.roundtable.moderation.MemberModeration;
import org.roundtable.moderation.MemberModeration.CohortSilence;
import org.roundtable.security.Viewer;
import org.roundtable.member.MemberService;

/**
 * The member directory: who is in the network, and of each member what the viewer may know. Their cohorts only where
 * the viewer is in them too, their threads only where the viewer may read them; anonymous posts store no member, so
 * they never count anywhere. To a facilitator, the member's cohorts they moderate, and whether the member is silenced there.
 */
@ApplicationScoped
public class MemberDirectory {

    static final int PAGE = 200;
    static final int THREADS = 20;

    private final MemberService members;
    private final CohortService cohorts;
    private final MemberModeration moderation;

    public MemberDirectory(MemberService members, CohortService cohorts, MemberModeration moderation) {
        this.members = members;
        this.cohorts = cohorts;
        this.moderation = moderation;
    }

    /** {@code silences}: the member's cohorts the viewer moderates (empty for most viewers). */
    public record Entry(MemberService.Profile profile, List<SharedCohort> sharedCohorts,
            List<MemberService.RecentThread> threads, List<CohortSilence> silences) {
    }

    public Uni<List<MemberService.Listed>> list(String query) {
        return members.directory(query, PAGE);
    }

    /** A member's directory page, or 404. */
    public Uni<Entry> member(Viewer viewer, String username) {
        return members.profile(username).flatMap(profile -> {
            Guardian.ensureFound(profile, "The member \"" + username + "\"");
            return Uni.combine().all().unis(cohorts.shared(viewer, profile.id()),
                    members.recentThreads(viewer, profile.id(), THREADS), moderation.silences(viewer, profile.id())).asTuple()
                    .map(t -> new Entry(profile, t.getItem1(), t.getItem2(), t.getItem3()));
        });
    }
}
