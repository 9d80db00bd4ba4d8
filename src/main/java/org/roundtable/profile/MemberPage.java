package org.roundtable.profile;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.cohort.CohortService;
import org.roundtable.moderation.ModerationResource;
import org.roundtable.moderation.MemberModeration;
import org.roundtable.moderation.MemberModeration.CohortSilence;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.web.Forms;
import org.roundtable.web.SentForm;
import org.roundtable.member.MemberService;

/**
 * A member's profile as other members see it: who they are, the cohorts the viewer shares with them, and the threads
 * they started that the viewer may read (MemberDirectory decides what of a member the viewer may know). A facilitator
 * also finds there the forms to silence the member in the cohorts they moderate, and an admin to suspend them: they
 * post here (the silence and the suspension are MemberModeration's).
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
            java.time.OffsetDateTime memberSince, Suspension suspension, String picture) {
        static MemberView of(MemberService.Profile p, Viewer viewer) {
            Suspension suspension = viewer.isAdmin() && p.suspended()
                    ? new Suspension(p.suspendedUntil(), p.suspensionReason()) : null;
            return new MemberView(p.username(), p.name(), p.title(), p.school(), p.district(), p.memberSince(), suspension,
                    p.picture());
        }

        /** {@code {member.face}}: the member's face beside their name: their picture, or their initials (web/Face). */
        public org.roundtable.web.Face face() {
            return org.roundtable.web.Face.of(username, name).withPicture(picture);
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
    private final MemberService members;
    private final MemberModeration moderation;

    public MemberPage(Viewers viewers, MemberDirectory directory, MemberService members, MemberModeration moderation) {
        this.viewers = viewers;
        this.directory = directory;
        this.members = members;
        this.moderation = moderation;
    }

    /** {@code silenced} / {@code lifted}: the cohort where a facilitator just did that (the notice after the form). */
    @GET
    @Path("members/{username}")
    public Uni<TemplateInstance> profile(@RestPath String username, @RestQuery String silenced, @RestQuery String lifted) {
        return viewers.current().flatMap(viewer -> directory.member(viewer, username)
                .map(e -> render(viewer, e, SentForm.NONE, notice(e.silences(), silenced, lifted))));
    }

    /**
     * The profile page, shown again with a refused form as it was sent and what was wrong: the silence form of one
     * cohort ({@code "silence"}, keyed by the cohort) or the suspension form ({@code "suspension"}).
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

    // ---------------------------------------------------------------- the facilitators' forms on the profile

    @POST
    @Path("members/{username}/suspension")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> suspend(@RestPath String username, @RestForm String until, @RestForm String reason) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> Forms.submit(
                () -> moderation.suspend(viewer, id, ModerationResource.date(until, "until"), reason).map(x -> profile(username)),
                e -> directory.member(viewer, username).map(entry -> render(viewer, entry,
                        SentForm.of("suspension", e, "until", until, "reason", reason), null)))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("members/{username}/unsuspend")
    public Uni<RestResponse<String>> unsuspend(@RestPath String username) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> moderation.unsuspend(viewer, id)))
                .map(x -> seeOther("/members/" + username));
    }

    /**
     * A cohort's facilitator (or an admin) silences a member of that cohort from the member's profile: until a time
     * (date or date and time, UTC; empty: until lifted), with a reason. A mistake shows the profile again with the form
     * as it was sent.
     */
    @POST
    @Path("members/{username}/silence")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> silence(@RestPath String username, @RestForm String cohort, @RestForm String until,
            @RestForm String reason) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> Forms.submit(
                () -> moderation.silence(viewer, cohort, id, silenceEnd(until), reason, true)
                        .map(x -> profile(username) + "?silenced=" + encode(cohort) + "#silence"),
                e -> directory.member(viewer, username).map(entry -> render(viewer, entry,
                        SentForm.keyed("silence", cohort, e, "until", until, "reason", reason), null)))));
    }

    @POST
    @Path("members/{username}/silence/{cohort}/lift")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> liftSilence(@RestPath String username, @RestPath String cohort) {
        return viewers.current().flatMap(viewer -> member(username).flatMap(id -> moderation.silence(viewer, cohort, id,
                null, null, false))).map(x -> seeOther(profile(username) + "?lifted=" + encode(cohort) + "#silence"));
    }

    /** The end of a silence as the form sends it: a date (its start), or a date and time (datetime-local), in UTC. */
    static java.time.OffsetDateTime silenceEnd(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        org.roundtable.web.Input.noNul("until", value);
        String text = value.strip();
        java.time.OffsetDateTime end = null;
        for (java.util.function.Function<String, java.time.OffsetDateTime> parse : List.<java.util.function.Function<String, java.time.OffsetDateTime>>of(
                v -> java.time.LocalDateTime.parse(v).atOffset(java.time.ZoneOffset.UTC),
                v -> java.time.LocalDate.parse(v).atStartOfDay().atOffset(java.time.ZoneOffset.UTC),
                java.time.OffsetDateTime::parse)) {
            try {
                end = parse.apply(text);
                break;
            } catch (java.time.format.DateTimeParseException notThisForm) {
                // the next form
            }
        }
        if (end == null) {
            throw DomainException.invalid(Map.of("until",
                    "Use a date and time like 2026-12-31T18:00 (UTC), or leave it empty: until it is lifted."));
        }
        return org.roundtable.web.Input.date("until", end);
    }

    private static String profile(String username) {
        return "/members/" + encode(username);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value == null ? "" : value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Uni<Long> member(String username) {
        return members.profile(username).map(profile -> {
            if (profile == null) {
                throw DomainException.notFound("The member");
            }
            return profile.id();
        });
    }

    private static RestResponse<String> seeOther(String location) {
        return RestResponse.seeOther(URI.create(location));
    }
}
