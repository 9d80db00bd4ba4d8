package org.roundtable.cohort;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.db.Database;
import org.roundtable.mail.OutgoingMail;
import org.roundtable.security.Guardian;
import org.roundtable.security.SignedTokens;
import org.roundtable.security.Viewer;
import org.roundtable.text.TextRules;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Input;

/**
 * Invitations to a cohort: a signed link (SmallRye JWT, purpose {@value #PURPOSE}, the cohort's id, 14 days), sent by
 * mail and shown to its facilitators to copy. The row keeps the link's {@code jti}: a link is used once, and can be
 * withdrawn. Every refusal changes nothing and says why, without telling anything about a cohort the person is not in.
 */
@ApplicationScoped
public class InvitationService {

    public static final String PURPOSE = "cohort-invite";
    static final String COHORT_CLAIM = "cohort";
    private static final int MAX_PENDING = 200;

    private final Database db;
    private final CohortService cohorts;
    private final SignedTokens tokens;
    private final ReactiveMailer mailer;
    private final CohortConfig config;
    private final String baseUrl;
    private final CohortInvitationRepository rows;

    public InvitationService(Database db, CohortService cohorts, SignedTokens tokens, ReactiveMailer mailer,
            CohortConfig config, @ConfigProperty(name = "roundtable.base-url") String baseUrl,
            CohortInvitationRepository rows) {
        this.db = db;
        this.rows = rows;
        this.cohorts = cohorts;
        this.tokens = tokens;
        this.mailer = mailer;
        this.config = config;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    // ---------------------------------------------------------------- making and listing (facilitators)

    /**
     * Invites by email, by member (username), or, with neither, makes a link for any member (when link invitations are
     * on). The mail goes out when an address is known; a mail that fails does not undo the invitation (its link is
     * shown to copy).
     */
    public Uni<Invitation> invite(Viewer viewer, String slug, String rawEmail, String username) {
        String email = rawEmail == null || rawEmail.isBlank() ? null : rawEmail.strip().toLowerCase(Locale.ROOT);
        String who = username == null || username.isBlank() ? null : username.strip();
        if (email != null && who != null) {
            throw DomainException.invalid(Map.of("email", "Invite either by email address or by member, not both."));
        }
        Input.refuseNul("email", email, "username", who);
        if (email != null && (!mailable(email) || TextRules.hasLineBreakOrControl(email)
                || email.codePoints().anyMatch(TextRules::invisible))) {
            throw DomainException.invalid(Map.of("email", "That is not an email address we can send to: write it as "
                    + "name@example.org, without a display name, spaces, commas or angle brackets."));
        }
        if (email == null && who == null && !config.linkInvitations()) {
            throw DomainException.invalid(Map.of("email",
                    "Invitation links for anyone are turned off here: invite by email address or by member."));
        }
        return cohorts.requireFacilitator(viewer, slug).flatMap(cohort -> {
            refuseClosed(cohort);
            UUID jti = UUID.randomUUID();
            return db.inTransaction(conn -> (who == null ? Uni.createFrom().item((Row) null)
                    : db.one(conn, """
                            select m.id, m.username, m.name, m.email,
                                   exists (select 1 from cohort_member cm where cm.cohort_id = $2 and cm.member_id = m.id) as in_cohort
                            from member m where lower(m.username) = lower($1)
                            """, Tuple.of(who, cohort.id()), row -> row))
                    .flatMap(member -> {
                        if (who != null && member == null) {
                            throw DomainException.invalid(Map.of("username", "There is no member \"" + who + "\"."));
                        }
                        if (member != null && member.getBoolean("in_cohort")) {
                            throw DomainException.conflict(member.getString("name") + " is already a member of this cohort.");
                        }
                        return db.one(conn, """
                                insert into cohort_invitation (cohort_id, jti, email, member_id, invited_by, expires_at)
                                values ($1, $2, $3, $4, $5, date_trunc('second', now()) + make_interval(days => $6))
                                returning id, created_at, expires_at
                                """, Tuple.from(Arrays.asList(cohort.id(), jti, email,
                                member == null ? null : member.getLong("id"), viewer.id(), config.invitationDays())),
                                row -> new Invitation(row.getLong("id"), cohort.slug(), email,
                                        member == null ? null : member.getString("username"),
                                        member == null ? null : member.getString("name"), viewer.name(),
                                        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("expires_at"),
                                        link(cohort, jti, row.getOffsetDateTime("created_at"), row.getOffsetDateTime("expires_at")),
                                        null))
                                .call(invitation -> cohorts.audit(conn, viewer, "cohort.invite", slug, null,
                                        new JsonObject().put("invitation", invitation.id())))
                                .map(invitation -> new Made(invitation, member == null ? email : member.getString("email")));
                    }))
                    .flatMap(made -> {
                        Invitation invitation = made.invitation();
                        return mail(cohort, viewer, invitation, made.to()).map(mailed -> new Invitation(invitation.id(),
                                invitation.cohort(), invitation.email(), invitation.username(), invitation.name(),
                                invitation.invitedBy(), invitation.createdAt(), invitation.expiresAt(), invitation.link(), mailed));
                    });
        });
    }

    /**
     * Whether the address is one the mailer can send to, checked before anything is written: one plain address, and
     * parsed as the mailer parses it (Vert.x mail's {@code EmailAddress}, which Quarkus's mailer uses to refuse an
     * address with an exception; it came after the invitation was committed, and answered 500).
     */
    static boolean mailable(String email) {
        if (email.length() > 254 || !email.matches("[^@\\s,;:<>()\\[\\]\\\\\"]+@[^@\\s,;:<>()\\[\\]\\\\\"]+\\.[^@\\s,;:<>()\\[\\]\\\\\".]+")) {
            return false;
        }
        try {
            new io.vertx.ext.mail.mailencoder.EmailAddress(email);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An invitation just made, and the address its mail goes to (null: none). */
    private record Made(Invitation invitation, String to) {
    }

    private static void refuseClosed(CohortSummary cohort) {
        if (cohort.archived()) {
            throw DomainException.conflict("This cohort is archived: it takes no new members.");
        }
        if (cohort.managedByIdentityProvider()) {
            throw DomainException.conflict(CohortService.managedMessage(cohort) + " Invitations are off for it.");
        }
    }

    /**
     * The cohort's pending invitations with their links; for those who run it (the caller checks). Hibernate Reactive:
     * one statement, in the caller's session or a new one.
     */
    @WithSession
    Uni<List<Invitation>> pending(CohortSummary cohort) {
        return rows.pending(cohort.id(), MAX_PENDING).map(found -> found.stream().map(i -> new Invitation(i.id,
                cohort.slug(), i.email, i.member == null ? null : i.member.username, i.member == null ? null : i.member.name,
                i.inviter == null ? null : i.inviter.name, i.createdAt, i.expiresAt,
                link(cohort, i.jti, i.createdAt, i.expiresAt), null)).toList());
    }

    @WithSession
    public Uni<List<Invitation>> pending(Viewer viewer, String slug) {
        return cohorts.requireFacilitator(viewer, slug).flatMap(this::pending);
    }

    /** Withdraws a pending invitation: its link stops working. */
    public Uni<Void> revoke(Viewer viewer, String slug, long invitationId) {
        return cohorts.requireFacilitator(viewer, slug).flatMap(cohort -> db.inTransaction(conn -> db.one(conn, """
                update cohort_invitation set revoked_at = now()
                where id = $1 and cohort_id = $2 and accepted_at is null and revoked_at is null
                returning id
                """, Tuple.of(invitationId, cohort.id()), row -> row.getLong("id"))
                .flatMap(id -> {
                    Guardian.ensureFound(id, "A pending invitation " + invitationId + " of this cohort");
                    return cohorts.audit(conn, viewer, "cohort.invitation.revoke", slug, null,
                            new JsonObject().put("invitation", id));
                })));
    }

    /**
     * The link of an invitation, signed again from its row (HS256 over the same claims: as good as the first one,
     * and it is the row, by its jti, that makes it single-use).
     */
    private String link(CohortSummary cohort, UUID jti, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
        String token = tokens.sign(PURPOSE, jti.toString(), createdAt.toInstant(), expiresAt.toInstant(),
                Map.of(COHORT_CLAIM, cohort.id()));
        return baseUrl + "/cohorts/" + cohort.slug() + "/join?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private Uni<Boolean> mail(CohortSummary cohort, Viewer inviter, Invitation invitation, String to) {
        if (to == null || to.isBlank()) {
            return Uni.createFrom().item(false);
        }
        String expires = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).format(invitation.expiresAt());
        String text = """
                %s invites you to join the cohort "%s" on Roundtable.

                %s

                Join here (the link works once, until %s):
                %s

                If you did not expect this invitation, you can ignore this mail.
                """.formatted(TextRules.isolated(inviter.name()), TextRules.isolated(cohort.name()),
                        cohort.description(), expires, invitation.link());
        // Deferred: the mailer refuses an address it cannot parse by throwing, not with a failed Uni. The invitation is
        // committed by now; a mail that fails, however it fails, leaves it (its link is shown to copy).
        return Uni.createFrom().deferred(() -> mailer.send(
                OutgoingMail.of(to, "Invitation to the cohort " + TextRules.isolated(cohort.name()), text, null)))
                .map(x -> true)
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("The invitation %d to cohort %s could not be mailed: %s", invitation.id(), cohort.slug(),
                            e.getMessage());
                    return false;
                });
    }

    // ---------------------------------------------------------------- accepting (the invited member)

    /** What the join page shows before the member accepts. */
    public record Offer(CohortSummary cohort, String invitedBy, OffsetDateTime expiresAt, boolean alreadyMember) {
    }

    /**
     * Checks an invitation for the viewer without using it: the join page. Refused exactly as {@link #accept} would
     * refuse it.
     */
    public Uni<Offer> check(Viewer viewer, String slug, String token) {
        Genuine genuine = verify(viewer, token);
        return db.inTransaction(conn -> checked(conn, viewer, slug, genuine, false));
    }

    /**
     * Accepts an invitation: the viewer joins the cohort and the link is used up, in one transaction. A member who is
     * already in the cohort joins nothing and the link stays unused.
     */
    public Uni<Offer> accept(Viewer viewer, String slug, String token) {
        Genuine genuine = verify(viewer, token);
        return db.inTransaction(conn -> checked(conn, viewer, slug, genuine, true));
    }

    /** What a token we signed says: the cohort and the invitation's jti. */
    private record Genuine(long cohortId, UUID jti) {
    }

    private Genuine verify(Viewer viewer, String token) {
        Guardian.requireCanWrite(viewer);
        JsonWebToken jwt;
        try {
            jwt = tokens.verify(token, PURPOSE);
        } catch (SignedTokens.RefusedToken e) {
            throw switch (e.refusal()) {
                case EXPIRED -> InvitationRefused.expired();
                case WRONG_PURPOSE -> InvitationRefused.notAnInvitation();
                case INVALID -> InvitationRefused.invalid();
            };
        }
        return new Genuine(cohortClaim(jwt), jti(jwt));
    }

    private Uni<Offer> checked(io.vertx.mutiny.sqlclient.SqlConnection conn, Viewer viewer, String slug, Genuine genuine,
            boolean use) {
        long cohortId = genuine.cohortId();
        UUID jti = genuine.jti();
        return db.one(conn, """
                select i.id, i.cohort_id, i.email, i.member_id, i.expires_at, i.accepted_at, i.accepted_by, i.revoked_at,
                       inviter.name as invited_by, (select id from cohort where slug = $2) as slug_cohort,
                       exists (select 1 from cohort_member cm where cm.cohort_id = i.cohort_id and cm.member_id = $3) as member
                from cohort_invitation i left join member inviter on inviter.id = i.invited_by
                where i.jti = $1
                for update of i
                """, Tuple.of(jti, String.valueOf(slug), viewer.id()), row -> row)
                .flatMap(invitation -> {
                    // A token we signed whose row is gone (a restored database): as good as forged.
                    if (invitation == null || invitation.getLong("cohort_id") != cohortId) {
                        throw InvitationRefused.invalid();
                    }
                    // Checked before anything about the row is told: a link for another cohort says only that.
                    if (!Long.valueOf(cohortId).equals(invitation.getLong("slug_cohort"))) {
                        throw InvitationRefused.wrongCohort();
                    }
                    boolean member = invitation.getBoolean("member");
                    if (invitation.getOffsetDateTime("revoked_at") != null) {
                        throw InvitationRefused.withdrawn();
                    }
                    if (invitation.getOffsetDateTime("accepted_at") != null && !member) {
                        throw InvitationRefused.used();
                    }
                    if (invitation.getOffsetDateTime("expires_at").isBefore(OffsetDateTime.now())) {
                        throw InvitationRefused.expired();
                    }
                    if (!member) {
                        refuseOtherPerson(viewer, invitation);
                    }
                    return cohortOf(conn, cohortId, viewer).flatMap(cohort -> {
                        if (member) {
                            return Uni.createFrom().item(new Offer(cohort, invitation.getString("invited_by"),
                                    invitation.getOffsetDateTime("expires_at"), true));
                        }
                        if (cohort.archived()) {
                            throw InvitationRefused.closed("This cohort is archived: it takes no new members.");
                        }
                        if (cohort.managedByIdentityProvider()) {
                            throw InvitationRefused.closed(CohortService.managedMessage(cohort));
                        }
                        Offer offer = new Offer(cohort, invitation.getString("invited_by"),
                                invitation.getOffsetDateTime("expires_at"), false);
                        if (!use) {
                            return Uni.createFrom().item(offer);
                        }
                        return db.execute(conn, """
                                with used as (
                                    update cohort_invitation set accepted_at = now(), accepted_by = $2 where id = $1
                                )
                                insert into cohort_member (cohort_id, member_id, role) values ($3, $2, 'member')
                                on conflict do nothing
                                """, Tuple.of(invitation.getLong("id"), viewer.id(), cohortId))
                                .replaceWith(offer);
                    });
                });
    }

    /**
     * Email invitations are for the member with that address, verified ({@code MemberClaims}: an address Keycloak has
     * not verified is no address here); member invitations for that member.
     */
    private void refuseOtherPerson(Viewer viewer, Row invitation) {
        String email = invitation.getString("email");
        Long memberId = invitation.getLong("member_id");
        if (email != null && (viewer.email() == null || !email.equalsIgnoreCase(viewer.email().strip()))) {
            throw InvitationRefused.otherPerson("This invitation was sent to another email address than the verified "
                    + "address of your account. Log out, and log in with the account of the address it was sent to; if "
                    + "that is this account, verify its address first.");
        }
        if (memberId != null && memberId != viewer.id()) {
            throw InvitationRefused.otherPerson("This invitation is for another member. Log out, and log in as the member "
                    + "it was sent to.");
        }
        if (email == null && memberId == null && !config.linkInvitations()) {
            throw InvitationRefused.otherPerson("Invitation links for anyone are turned off here: ask the facilitator to "
                    + "invite you by your email address.");
        }
    }

    /** The cohort of a genuine invitation, as its invitee sees it before joining. */
    private Uni<CohortSummary> cohortOf(io.vertx.mutiny.sqlclient.SqlConnection conn, long cohortId, Viewer viewer) {
        return db.one(conn, """
                select co.id, co.slug, co.name, co.description, co.keycloak_group, co.archived_at, co.created_at,
                       (select count(*) from cohort_member x where x.cohort_id = co.id) as member_count,
                       (select cm.role from cohort_member cm where cm.cohort_id = co.id and cm.member_id = $2) as my_role
                from cohort co where co.id = $1
                """, Tuple.of(cohortId, viewer.id()), CohortService::toSummary);
    }

    private static long cohortClaim(JsonWebToken jwt) {
        Object claim = jwt.getClaim(COHORT_CLAIM);
        if (claim instanceof jakarta.json.JsonNumber n) {
            return n.longValue();
        }
        if (claim instanceof Number n) {
            return n.longValue();
        }
        throw InvitationRefused.invalid();
    }

    private static UUID jti(JsonWebToken jwt) {
        try {
            return UUID.fromString(jwt.getTokenID());
        } catch (RuntimeException e) {
            throw InvitationRefused.invalid();
        }
    }
}
