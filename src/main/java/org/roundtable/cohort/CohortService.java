package org.roundtable.cohort;

import static org.roundtable.security.Guardian.visibleCohort;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.roundtable.channel.ChannelKind;
import org.roundtable.channel.ChannelService;
import org.roundtable.channel.ChannelSummary;
import org.roundtable.db.Database;
import org.roundtable.member.MemberService;
import org.roundtable.audit.AuditEntry;
import org.roundtable.audit.AuditLog;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;
import org.roundtable.text.TextRules;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Input;

/**
 * Cohorts: private groups with their own channels. A cohort is known only to its members (and admins): to anyone
 * else every cohort address answers 404, exactly like one that does not exist. Admins create, rename, archive cohorts,
 * link them to Keycloak groups and appoint facilitators; a cohort's facilitators run its membership and channels.
 */
@ApplicationScoped
public class CohortService {

    static final int RECENT_THREADS = 10;

    private final Database db;
    private final ChannelService channels;
    private final MemberService members;
    private final CohortConfig config;
    private final CohortMembershipRepository memberships;

    private final AuditLog auditLog;

    public CohortService(Database db, ChannelService channels, MemberService members, CohortConfig config,
            CohortMembershipRepository memberships, AuditLog auditLog) {
        this.auditLog = auditLog;
        this.db = db;
        this.channels = channels;
        this.members = members;
        this.config = config;
        this.memberships = memberships;
    }

    // ---------------------------------------------------------------- reading

    private static final String COHORTS = """
            select co.id, co.slug, co.name, co.description, co.keycloak_group, co.archived_at, co.created_at,
                   (select count(*) from cohort_member x where x.cohort_id = co.id) as member_count,
                   (select cm.role from cohort_member cm where cm.cohort_id = co.id and cm.member_id = #{viewer}) as my_role
            from cohort co
            where %s
            """.formatted(visibleCohort("co"));

    /** The cohorts the viewer belongs to (admins: every cohort), open ones first. */
    public Uni<List<CohortSummary>> cohorts(Viewer viewer) {
        return db.list(COHORTS + " order by co.archived_at is not null, lower(co.name)",
                Guardian.binds(viewer), CohortService::toSummary);
    }

    /** The cohort, or null when it does not exist or the viewer may not know of it (the same answer). */
    public Uni<CohortSummary> cohort(Viewer viewer, String slug) {
        if (Input.hasNul(slug)) {
            return Uni.createFrom().nullItem(); // no cohort has such an address
        }
        return db.one(COHORTS + " and co.slug = #{slug}", Guardian.binds(viewer).and("slug", String.valueOf(slug)),
                CohortService::toSummary);
    }

    /** The cohort, or 404. */
    Uni<CohortSummary> require(Viewer viewer, String slug) {
        return cohort(viewer, slug).map(cohort -> Guardian.ensureFound(cohort, "The cohort \"" + slug + "\""));
    }

    /** The cohort when the viewer runs it (its facilitator, or an admin): 404 when they cannot see it, else 403. */
    Uni<CohortSummary> requireFacilitator(Viewer viewer, String slug) {
        Guardian.requireCanWrite(viewer);
        return require(viewer, slug).map(cohort -> {
            if (!cohort.isFacilitator() && !viewer.isAdmin()) {
                throw DomainException.forbidden("Only the facilitators of this cohort can do that.");
            }
            return cohort;
        });
    }

    /** The cohort when the viewer is an admin: 404 when they cannot see it, else 403. */
    Uni<CohortSummary> requireAdmin(Viewer viewer, String slug) {
        Guardian.requireCanWrite(viewer);
        return require(viewer, slug).map(cohort -> {
            if (!viewer.isAdmin()) {
                throw DomainException.forbidden("Only administrators can do that.");
            }
            return cohort;
        });
    }

    /**
     * The cohort page: four statements after the cohort itself (five for its facilitators), whatever its size. Its
     * people and pending invitations are read through Hibernate Reactive (one after the other: a session runs one
     * statement at a time), beside the channels and recent threads on the SQL client.
     */
    @WithSession
    public Uni<CohortDetail> detail(Viewer viewer, String slug, InvitationService invitations) {
        return require(viewer, slug).flatMap(cohort -> {
            boolean facilitates = cohort.isFacilitator() || viewer.isAdmin();
            Uni<List<CohortMember>> people = memberships.people(cohort.id())
                    .map(rows -> rows.stream().map(CohortService::toMember).toList());
            Uni<List<ChannelSummary>> cohortChannels = channels.channelsOfCohort(viewer, cohort.id());
            Uni<List<ChannelService.ThreadInChannel>> recent = channels.recentInCohort(viewer, cohort.id(), RECENT_THREADS);
            Uni<People> administrative = people.flatMap(found -> (facilitates ? invitations.pending(cohort)
                    : Uni.createFrom().item(List.<Invitation>of())).map(pending -> new People(found, pending)));
            return Uni.combine().all().unis(administrative, cohortChannels, recent).asTuple().map(t -> {
                List<CohortMember> all = t.getItem1().members();
                return new CohortDetail(cohort, t.getItem2(),
                        all.stream().filter(CohortMember::facilitator).toList(),
                        all.stream().filter(m -> !m.facilitator()).toList(),
                        t.getItem3(), t.getItem1().invitations(), viewer.isAdmin() && !viewer.isSuspended(),
                        facilitates && !viewer.isSuspended(),
                        facilitates && !viewer.isSuspended() && !cohort.archived() && !cohort.managedByIdentityProvider(),
                        config.linkInvitations());
            });
        });
    }

    /** A cohort's people and its pending invitations, as the cohort page's session reads them. */
    private record People(List<CohortMember> members, List<Invitation> invitations) {
    }

    /** A cohort the member shares with the viewer, with the member's role in it. */
    public record SharedCohort(String slug, String name, CohortRole role) {
    }

    /**
     * The cohorts of a member that the viewer may know of: the ones they share (admins: all of the member's). Nothing
     * of any other cohort of theirs, not even how many there are.
     */
    public Uni<List<SharedCohort>> shared(Viewer viewer, long memberId) {
        return db.list("""
                select co.slug, co.name, their.role
                from cohort co join cohort_member their on their.cohort_id = co.id and their.member_id = #{member}
                where %s
                order by lower(co.name)
                """.formatted(visibleCohort("co")), Guardian.binds(viewer).and("member", memberId),
                row -> new SharedCohort(row.getString("slug"), row.getString("name"), CohortRole.of(row.getString("role"))));
    }

    // ---------------------------------------------------------------- administration (admins)

    public record CohortFields(String slug, String name, String description, String keycloakGroup) {
    }

    /** Creates a cohort (admins). A slug in use answers 409. */
    public Uni<CohortSummary> create(Viewer viewer, CohortFields fields) {
        Guardian.requireCanWrite(viewer);
        if (!viewer.isAdmin()) {
            throw DomainException.forbidden("Only administrators create cohorts.");
        }
        String slug = fields.slug() == null ? "" : fields.slug().strip().toLowerCase(Locale.ROOT);
        Map<String, String> errors = new LinkedHashMap<>();
        if (!slug.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            errors.put("slug", "The address name takes lower-case letters, digits and dashes (up to 63), e.g. \"new-principals-2027\".");
        }
        checkFields(fields.name(), fields.description(), fields.keycloakGroup(), errors);
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        String group = blankToNull(fields.keycloakGroup());
        return db.inTransaction(conn -> db.one(conn, """
                insert into cohort (slug, name, description, keycloak_group) values ($1, $2, $3, $4)
                on conflict do nothing returning id
                """, Tuple.from(Arrays.asList(slug, clean(fields.name()), clean(fields.description()), group)),
                row -> row.getLong("id"))
                .flatMap(id -> {
                    if (id == null) {
                        throw DomainException.conflict("The address \"" + slug + "\" or the Keycloak group is taken by another cohort.");
                    }
                    return audit(conn, viewer, "cohort.create", slug, null,
                            new JsonObject().put("name", clean(fields.name())).put("keycloakGroup", group));
                }))
                .invoke(x -> {
                    if (group != null) {
                        members.forgetAll();
                    }
                })
                .flatMap(x -> cohort(viewer, slug))
                .call(created -> firstChannel(viewer, created));
    }

    /** The name of the channel every new cohort starts with, where "Ask the cohort" leads. */
    static final String FIRST_CHANNEL = "General";

    /**
     * A new cohort's first channel, "General" (issue 19: a cohort with no channel leaves its members nowhere to ask),
     * at the address {@code <cohort>-general} (cut to fit), or {@code general-<cohort id>} when that is taken. The
     * cohort stays made if neither address is free (a facilitator then creates a channel on the cohort page).
     */
    private Uni<Void> firstChannel(Viewer viewer, CohortSummary cohort) {
        String base = cohort.slug().length() > 55 ? cohort.slug().substring(0, 55) : cohort.slug();
        String description = "Questions and news for everyone in " + cohort.name() + ".";
        Uni<ChannelSummary> made = channels.create(cohort.id(), base.replaceAll("-+$", "") + "-general", FIRST_CHANNEL,
                description, ChannelKind.COHORT)
                .onFailure(DomainException.class)
                .recoverWithUni(e -> channels.create(cohort.id(), "general-" + cohort.id(), FIRST_CHANNEL, description,
                        ChannelKind.COHORT));
        return made.call(channel -> audit(null, viewer, "channel.create", channel.slug(), null,
                        new JsonObject().put("cohort", cohort.slug()).put("kind", channel.kind().value())))
                .onFailure(DomainException.class).recoverWithItem(e -> {
                    io.quarkus.logging.Log.warnf("Cohort %s got no first channel: %s", cohort.slug(), e.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    /** Renames a cohort, changes its description, links it to a Keycloak group or unlinks it (admins). */
    public Uni<CohortSummary> update(Viewer viewer, String slug, CohortFields fields) {
        return requireAdmin(viewer, slug).flatMap(cohort -> {
            String name = fields.name() == null ? cohort.name() : fields.name();
            String description = fields.description() == null ? cohort.description() : fields.description();
            String group = fields.keycloakGroup() == null ? cohort.keycloakGroup() : blankToNull(fields.keycloakGroup());
            Map<String, String> errors = new LinkedHashMap<>();
            checkFields(name, description, group, errors);
            if (!errors.isEmpty()) {
                throw DomainException.invalid(errors);
            }
            boolean relinked = !java.util.Objects.equals(group, cohort.keycloakGroup());
            return db.inTransaction(conn -> db.execute(conn,
                    "update cohort set name = $2, description = $3, keycloak_group = $4 where id = $1",
                    Tuple.from(Arrays.asList(cohort.id(), clean(name), clean(description), group)))
                    .flatMap(x -> audit(conn, viewer, "cohort.update", slug,
                            new JsonObject().put("name", cohort.name()).put("keycloakGroup", cohort.keycloakGroup()),
                            new JsonObject().put("name", clean(name)).put("keycloakGroup", group))))
                    .onFailure(CohortService::isUniqueViolation)
                    .transform(e -> DomainException.conflict("Another cohort is linked to the Keycloak group \"" + group + "\"."))
                    // Members' next requests sync their groups again, so the link takes effect at once.
                    .invoke(x -> {
                        if (relinked) {
                            members.forgetAll();
                        }
                    })
                    .flatMap(x -> cohort(viewer, slug));
        });
    }

    /**
     * Archives a cohort (admins): its channels stay readable to its members, take no new posts, and it takes no new
     * members. Unarchiving opens it again.
     */
    public Uni<Void> archive(Viewer viewer, String slug, boolean archived) {
        return requireAdmin(viewer, slug).flatMap(cohort -> cohort.archived() == archived ? Uni.createFrom().voidItem()
                : db.inTransaction(conn -> db.execute(conn,
                        "update cohort set archived_at = " + (archived ? "now()" : "null") + " where id = $1",
                        Tuple.of(cohort.id()))
                        .flatMap(x -> audit(conn, viewer, archived ? "cohort.archive" : "cohort.unarchive", slug, null, null))));
    }

    /** Appoints a member as facilitator of the cohort (adding them to it), or makes a facilitator a member again. */
    public Uni<Void> appoint(Viewer viewer, String slug, String username, boolean facilitator) {
        return requireAdmin(viewer, slug).invoke(x -> Input.noNul("username", username)).flatMap(cohort -> db.inTransaction(conn -> (facilitator
                ? db.one(conn, """
                        insert into cohort_member (cohort_id, member_id, role)
                        select $1, m.id, 'facilitator' from member m where lower(m.username) = lower($2)
                        on conflict (cohort_id, member_id) do update set role = 'facilitator'
                        returning member_id
                        """, Tuple.of(cohort.id(), String.valueOf(username)), row -> row.getLong("member_id"))
                : db.one(conn, """
                        update cohort_member cm set role = 'member' from member m
                        where cm.cohort_id = $1 and cm.member_id = m.id and lower(m.username) = lower($2)
                          and cm.role = 'facilitator'
                        returning cm.member_id
                        """, Tuple.of(cohort.id(), String.valueOf(username)), row -> row.getLong("member_id")))
                .flatMap(memberId -> {
                    Guardian.ensureFound(memberId, facilitator ? "The member \"" + username + "\""
                            : "A facilitator \"" + username + "\" of this cohort");
                    return audit(conn, viewer, facilitator ? "cohort.facilitator.appoint" : "cohort.facilitator.dismiss",
                            slug, null, new JsonObject().put("member", memberId));
                })));
    }

    // ---------------------------------------------------------------- membership

    /**
     * Removes a member from the cohort: its facilitators remove members, admins anyone. A cohort whose membership
     * follows a Keycloak group only loses facilitators here (its members come and go with the group).
     */
    public Uni<Void> remove(Viewer viewer, String slug, String username) {
        return requireFacilitator(viewer, slug).invoke(x -> Input.noNul("username", username)).flatMap(cohort -> db.inTransaction(conn -> db.one(conn, """
                select cm.member_id, cm.role from cohort_member cm join member m on m.id = cm.member_id
                where cm.cohort_id = $1 and lower(m.username) = lower($2)
                for update of cm
                """, Tuple.of(cohort.id(), String.valueOf(username)), row -> row)
                .flatMap(member -> {
                    Guardian.ensureFound(member, "A member \"" + username + "\" of this cohort");
                    boolean isFacilitator = CohortRole.of(member.getString("role")) == CohortRole.FACILITATOR;
                    if (isFacilitator && !viewer.isAdmin()) {
                        throw DomainException.forbidden("Only administrators remove a facilitator from a cohort.");
                    }
                    if (!isFacilitator && cohort.managedByIdentityProvider()) {
                        throw DomainException.conflict(managedMessage(cohort));
                    }
                    return db.execute(conn, "delete from cohort_member where cohort_id = $1 and member_id = $2",
                            Tuple.of(cohort.id(), member.getLong("member_id")))
                            .flatMap(x -> audit(conn, viewer, "cohort.member.remove", slug, null,
                                    new JsonObject().put("member", member.getLong("member_id"))));
                })));
    }

    /** The viewer leaves the cohort (their membership: Hibernate Reactive, no audit entry). */
    @WithTransaction
    public Uni<Void> leave(Viewer viewer, String slug) {
        Guardian.requireCanWrite(viewer);
        return require(viewer, slug).flatMap(cohort -> {
            if (!cohort.isMember()) {
                throw DomainException.conflict("You are not a member of this cohort.");
            }
            if (!cohort.isFacilitator() && cohort.managedByIdentityProvider()) {
                throw DomainException.conflict(managedMessage(cohort));
            }
            return memberships.leave(cohort.id(), viewer.id()).replaceWithVoid();
        });
    }

    static String managedMessage(CohortSummary cohort) {
        return "The membership of this cohort is managed by the identity provider (your organisation's accounts): "
                + "people join and leave it there, not in Roundtable.";
    }

    // ---------------------------------------------------------------- channels

    /** A channel of the cohort (kind "cohort", or "undiscussables" for its own), made by its facilitators or admins. */
    public Uni<ChannelSummary> createChannel(Viewer viewer, String slug, String channelSlug, String name,
            String description, boolean undiscussables) {
        return requireFacilitator(viewer, slug).flatMap(cohort -> {
            if (cohort.archived()) {
                throw DomainException.conflict("This cohort is archived: it takes no new channels.");
            }
            return channels.create(cohort.id(), channelSlug, name, description,
                    undiscussables ? ChannelKind.UNDISCUSSABLES : ChannelKind.COHORT);
        }).call(channel -> audit(null, viewer, "channel.create", channel.slug(), null,
                new JsonObject().put("cohort", slug).put("kind", channel.kind().value())));
    }

    // ---------------------------------------------------------------- helpers

    /** An audit entry of an admin's or facilitator's action; {@code conn} null: outside a transaction. */
    Uni<Void> audit(SqlClient conn, Viewer actor, String action, String target, JsonObject before, JsonObject after) {
        return auditLog.record(conn, AuditEntry.of(actor.id(), action, action.startsWith("channel.") ? "channel" : "cohort",
                target).withChange(before, after));
    }

    /**
     * The rules of a cohort's fields (text rules of {@link TextRules}): a name of one line, with something that shows, of
     * up to 120 characters; a description without control characters (line breaks are fine); a group name of one line.
     */
    private static void checkFields(String name, String description, String group, Map<String, String> errors) {
        String shown = TextRules.oneLineField(errors, "name", "the cohort's name", name, true);
        if (!errors.containsKey("name") && shown.length() > 120) {
            errors.put("name", "Give the cohort a name of up to 120 characters.");
        }
        TextRules.multiLineField(errors, "description", "the description", description);
        if (description != null && description.length() > 2000) {
            errors.putIfAbsent("description", "Keep the description under 2000 characters.");
        }
        TextRules.oneLineField(errors, "keycloakGroup", "the Keycloak group", group, false);
        if (group != null && group.strip().length() > 255) {
            errors.putIfAbsent("keycloakGroup", "A Keycloak group name has at most 255 characters.");
        }
        errors.putAll(Input.nulErrors("name", name, "description", description, "keycloakGroup", group));
    }

    private static String clean(String text) {
        return text == null ? "" : TextRules.strip(text);
    }

    private static String blankToNull(String text) {
        return TextRules.isBlank(text) ? null : TextRules.strip(text);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    static CohortSummary toSummary(Row row) {
        return new CohortSummary(row.getLong("id"), row.getString("slug"), row.getString("name"),
                row.getString("description"), row.getString("keycloak_group"), row.getOffsetDateTime("archived_at") != null,
                row.getLong("member_count").intValue(), CohortRole.of(row.getString("my_role")), row.getOffsetDateTime("created_at"));
    }

    static CohortMember toMember(CohortMembership cm) {
        return new CohortMember(cm.member.id, cm.member.username, cm.member.name, cm.member.title, cm.member.school,
                cm.member.district, cm.role, cm.joinedAt);
    }
}
