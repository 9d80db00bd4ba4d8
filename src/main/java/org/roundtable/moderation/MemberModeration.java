package org.roundtable.moderation;

import static org.roundtable.security.Guardian.moderates;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.roundtable.audit.AuditEntry;
import org.roundtable.audit.AuditLog;
import org.roundtable.db.Database;
import org.roundtable.member.MemberService;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.text.TextRules;
import org.roundtable.web.Input;

/**
 * What admins and facilitators do to members: admins suspend a member (they read, and write nothing); a cohort's
 * facilitators silence a member in that cohort (read-only there). Every act audited.
 */
@ApplicationScoped
public class MemberModeration {

    private final Database db;
    private final MemberService members;
    private final AuditLog auditLog;

    public MemberModeration(Database db, MemberService members, AuditLog auditLog) {
        this.db = db;
        this.members = members;
        this.auditLog = auditLog;
    }


    /** Admins suspend a member until a date (or indefinitely, until null): they can read, and write nothing. */
    public Uni<Void> suspend(Viewer viewer, long memberId, OffsetDateTime until, String reason) {
        Guardian.requireCanWrite(viewer);
        if (!viewer.isAdmin()) {
            throw DomainException.forbidden("Only admins can suspend members.");
        }
        String why = Reasons.reason(reason);
        if (why == null) {
            throw DomainException.invalid(java.util.Map.of("reason", "Give the reason: the member will see it."));
        }
        Input.noNul("reason", reason);
        Input.date("until", until);
        if (until != null && until.isBefore(OffsetDateTime.now())) {
            throw DomainException.invalid(java.util.Map.of("until", "The end of a suspension must be in the future."));
        }
        if (memberId == viewer.id()) {
            throw DomainException.conflict("You cannot suspend yourself.");
        }
        return memberAction(viewer, memberId, "member.suspend", why, """
                update member set suspended_until = coalesce($2, 'infinity'::timestamptz), suspension_reason = $3 where id = $1
                """, Tuple.from(Arrays.asList(memberId, until, why)));
    }

    public Uni<Void> unsuspend(Viewer viewer, long memberId) {
        Guardian.requireCanWrite(viewer);
        if (!viewer.isAdmin()) {
            throw DomainException.forbidden("Only admins can lift a suspension.");
        }
        return memberAction(viewer, memberId, "member.unsuspend", null,
                "update member set suspended_until = null, suspension_reason = null where id = $1", Tuple.of(memberId));
    }

    private Uni<Void> memberAction(Viewer viewer, long memberId, String action, String reason, String sql, Tuple params) {
        return db.inTransaction(conn -> db.one(conn, "select id, suspended_until from member where id = $1 for update",
                Tuple.of(memberId), row -> row).flatMap(member -> {
                    if (member == null) {
                        throw DomainException.notFound("The member");
                    }
                    return db.execute(conn, sql, params).flatMap(x -> auditLog.record(conn, AuditEntry.of(viewer.id(), action, "member",
                            String.valueOf(memberId)).withReason(reason).withChange(new JsonObject().put("suspendedUntil",
                            String.valueOf(member.getOffsetDateTime("suspended_until"))), null)));
                })).invoke(() -> members.forget(memberId)).replaceWithVoid();
    }

    /**
     * A cohort's facilitators (or admins) make a member of that cohort read-only in it, until a time (null: until
     * lifted), or lift it ({@code on} false). Who may do it is checked before what they sent.
     */
    public Uni<Void> silence(Viewer viewer, String cohortSlug, long memberId, OffsetDateTime until, String reason, boolean on) {
        Guardian.requireCanWrite(viewer);
        if (Input.hasNul(cohortSlug)) {
            throw DomainException.notFound("The cohort"); // no cohort has such an address
        }
        return db.inTransaction(conn -> db.one(conn, """
                select co.id, %s as facilitator, %s as visible,
                       exists (select 1 from cohort_member cm where cm.cohort_id = co.id and cm.member_id = #{member}) as their_cohort
                from cohort co where co.slug = #{slug}
                """.formatted(Guardian.facilitatesCohort("co"), Guardian.visibleCohort("co")),
                Guardian.binds(viewer).and("slug", cohortSlug).and("member", memberId), row -> row).flatMap(cohort -> {
                    if (cohort == null || !cohort.getBoolean("visible")) {
                        throw DomainException.notFound("The cohort");
                    }
                    if (!cohort.getBoolean("facilitator")) {
                        throw DomainException.forbidden("Only the cohort's facilitators can silence its members.");
                    }
                    String why = on ? checkSilence(until, reason) : null;
                    if (on && !cohort.getBoolean("their_cohort")) {
                        throw DomainException.notFound("The member in the cohort \"" + cohortSlug + "\"");
                    }
                    long cohortId = cohort.getLong("id");
                    Uni<?> change = on
                            ? db.execute(conn, """
                                    insert into cohort_silence (cohort_id, member_id, until, reason, silenced_by)
                                    values ($1, $2, coalesce($3, 'infinity'::timestamptz), $4, $5)
                                    on conflict (cohort_id, member_id) do update set until = excluded.until, reason = excluded.reason
                                    """, Tuple.from(Arrays.asList(cohortId, memberId, until, why, viewer.id())))
                            : db.execute(conn, "delete from cohort_silence where cohort_id = $1 and member_id = $2",
                                    Tuple.of(cohortId, memberId));
                    return change.flatMap(x -> auditLog.record(conn, AuditEntry.of(viewer.id(), on ? "member.silence" : "member.unsilence",
                            "member", String.valueOf(memberId)).withReason(why)
                            .withChange(null, new JsonObject().put("cohort", cohortSlug))));
                })).replaceWithVoid();
    }

    /** The reason of a silence as recorded, or the refusal of what was sent. */
    private static String checkSilence(OffsetDateTime until, String reason) {
        Input.noNul("reason", reason);
        Input.date("until", until);
        java.util.Map<String, String> errors = new java.util.LinkedHashMap<>();
        if (until != null && !until.isAfter(OffsetDateTime.now())) {
            errors.put("until", "The end of a silence must be in the future (or empty: until it is lifted).");
        }
        String why = TextRules.oneLineField(errors, "reason", "the reason", reason, false);
        if (why == null) {
            errors.putIfAbsent("reason", "Give the reason: the member will see it.");
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return why;
    }

    /**
     * A cohort of a member that the viewer moderates (admins: all of the member's cohorts), and the member's silence
     * there: {@code silenced} with {@code until} (null: until lifted) and the reason, or not silenced.
     */
    public record CohortSilence(String slug, String name, boolean silenced, OffsetDateTime until, String reason) {
    }

    /** The member's cohorts where the viewer may silence them, in one query; none for a viewer who cannot write. */
    public Uni<List<CohortSilence>> silences(Viewer viewer, long memberId) {
        if (viewer.isGuest() || viewer.isSuspended()) {
            return Uni.createFrom().item(List.of());
        }
        return db.list("""
                select co.slug, co.name, s.member_id is not null as silenced,
                       case when s.until = 'infinity' then null else s.until end as until, s.reason
                from cohort co
                join cohort_member their on their.cohort_id = co.id and their.member_id = #{member}
                left join cohort_silence s on s.cohort_id = co.id and s.member_id = #{member} and s.until > now()
                where %s
                order by lower(co.name)
                """.formatted(Guardian.facilitatesCohort("co")), Guardian.binds(viewer).and("member", memberId),
                row -> new CohortSilence(row.getString("slug"), row.getString("name"), row.getBoolean("silenced"),
                        row.getOffsetDateTime("until"), row.getString("reason")));
    }
}
