package org.roundtable.member;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.roundtable.cohort.CohortService;
import org.roundtable.moderation.MemberModeration.CohortSilence;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.web.SentForm;

/**
 * A member's profile as other members see it: who they are, the cohorts the viewer shares with them, and the threads
 * they started that the viewer may read (MemberDirectory decides what of a member the viewer may know). A facilitator
 * also finds there the forms to silence the member in the cohorts they moderate (they post to ModerationPage).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class MemberPage {

    static final int RECENT_THREADS = 20;

    /**
     * What the profile shows of a member: no email address, no account details. {@code suspension}: to an admin, the
     * member's current suspension; null when they are not suspended, and always for everyone else.
     */
    public record MemberView(String username, String name, String title, String school, String district,
            java.time.OffsetDateTime memberSince, Suspension suspension) {
        static MemberView of(MemberService.Profile p, Viewer viewer) {
            Suspension suspension = viewer.isAdmin() && p.suspended()
                    ? new Suspension(p.suspendedUntil(), p.suspensionReason()) : null;
            return new MemberView(p.username(), p.name(), p.title(), p.school(), p.district(), p.memberSince(), suspension);
        }
    }

    /** A current suspension: until when (null: until lifted), and the reason the admin gave. */
    public record Suspension(java.time.OffsetDateTime until, String reason) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance profile(Viewer viewer, MemberView member, List<MemberService.RecentThread> threads,
                List<CohortService.SharedCohort> sharedCohorts, List<CohortSilence> silences, SentForm sent,
                String notice);
    }

    private final Viewers viewers;
    private final MemberDirectory directory;

    public MemberPage(Viewers viewers, MemberDirectory directory) {
        this.viewers = viewers;
        this.directory = directory;
    }

    /** {@code silenced} / {@code lifted}: the cohort where a facilitator just did that (the notice after the form). */
    @GET
    @Path("members/{username}")
    public Uni<TemplateInstance> profile(@RestPath String username, @RestQuery String silenced, @RestQuery String lifted) {
        return viewers.current().flatMap(viewer -> directory.member(viewer, username)
                .map(e -> render(viewer, e, SentForm.NONE, notice(e.silences(), silenced, lifted))));
    }

    /**
     * The profile page; ModerationPage shows it again with a refused form as it was sent and what was wrong: the silence
     * form of one cohort ({@code "silence"}, keyed by the cohort) or the suspension form ({@code "suspension"}).
     */
    public static TemplateInstance render(Viewer viewer, MemberDirectory.Entry entry, SentForm sent, String notice) {
        return Templates.profile(viewer, MemberView.of(entry.profile(), viewer), entry.threads(), entry.sharedCohorts(),
                entry.silences(), sent, notice);
    }

    /** Only for a cohort the viewer moderates: a made-up address shows nothing. */
    private static String notice(List<CohortSilence> silences, String silenced, String lifted) {
        for (CohortSilence s : silences) {
            if (s.slug().equals(silenced) && s.silenced()) {
                return "Silenced in " + s.name() + ".";
            }
            if (s.slug().equals(lifted) && !s.silenced()) {
                return "The silence in " + s.name() + " is lifted.";
            }
        }
        return null;
    }
}
