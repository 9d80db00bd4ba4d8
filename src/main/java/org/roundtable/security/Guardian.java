package org.roundtable.security;

import io.vertx.mutiny.sqlclient.Row;
import java.util.function.Supplier;
import org.roundtable.db.Params;
import org.roundtable.problem.DomainException;

/**
 * What a member may see and do, in one place (Discourse's Guardian), in two forms that a test keeps in agreement
 * ({@code GuardianAgreementTest}):
 * <ul>
 * <li><b>set-based</b>: SQL predicates that every list, page, digest and search query includes (never a filter applied
 * after loading), with named parameters ({@code #{viewer}}, {@code #{admin}}, {@code #{facilitator}}) bound by
 * {@link #binds(Viewer)}: no caller numbers positions, and no caller edits the SQL;</li>
 * <li><b>per object</b>: {@code can…} decisions over the facts of one channel ({@link ChannelFacts}, loaded by the
 * columns of {@link #channelFacts(String)}), and {@code ensure…} decisions that refuse with the one status each
 * refusal has: 404 for what the viewer may not see (it looks absent), 403 for what they see and may not do, 409 for
 * what nobody may do to it now.</li>
 * </ul>
 */
public final class Guardian {

    private Guardian() {
    }

    /** The cohort role that moderates a cohort's channels. */
    public static final String FACILITATOR = "facilitator";

    // ================================================================ set-based

    /** The viewer's values for the named parameters of the predicates below. */
    public static Params binds(Viewer viewer) {
        return Params.of("viewer", viewer.id(), "admin", viewer.isAdmin(), "facilitator", viewer.isNetworkFacilitator());
    }

    /**
     * The channels (alias {@code c}) the viewer ({@code #{viewer}}, {@code #{admin}}) may read: open network channels and
     * the undiscussables of the network, and the channels of cohorts the viewer belongs to; admins every cohort's.
     * Archived channels are nobody's. Twin: {@link #canSee(Viewer, ChannelFacts)}.
     */
    public static String visibleChannel(String alias) {
        return visibleChannel(alias, "#{viewer}", "#{admin}");
    }

    /** The same predicate for a member id and admin flag given as SQL expressions (per row of member m, say). */
    public static String visibleChannel(String alias, String viewerExpr, String adminExpr) {
        return "(" + alias + ".archived_at is null and (" + alias + ".cohort_id is null or " + adminExpr
                + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias + ".cohort_id and cm.member_id = "
                + viewerExpr + ")))";
    }

    /**
     * The channels (alias {@code c}) the viewer moderates: admins all; network facilitators (realm role) the network
     * channels and the network's undiscussables; a cohort's facilitators that cohort's channels. Twin:
     * {@link #canModerate(Viewer, ChannelFacts)}.
     */
    public static String moderates(String alias) {
        return "(#{admin} or (" + alias + ".cohort_id is null and #{facilitator})"
                + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias
                + ".cohort_id and cm.member_id = #{viewer} and cm.role = '" + FACILITATOR + "'))";
    }

    /**
     * The cohorts (alias {@code co}) the viewer may know of: the ones they belong to; admins all. Anything else about a
     * cohort (its name, members, channels, threads) answers 404, like a cohort that does not exist. Twin:
     * {@link #canSeeCohort(Viewer, String)}.
     */
    public static String visibleCohort(String alias) {
        return visibleCohort(alias, "#{viewer}", "#{admin}");
    }

    /** The same predicate for a member id and admin flag given as SQL expressions (positional statements, say). */
    public static String visibleCohort(String alias, String viewerExpr, String adminExpr) {
        return "(" + adminExpr + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias
                + ".id and cm.member_id = " + viewerExpr + "))";
    }

    /** The cohorts (alias {@code co}) the viewer facilitates; admins all. Twin: {@link #facilitates(Viewer, String)}. */
    public static String facilitatesCohort(String alias) {
        return facilitatesCohort(alias, "#{viewer}", "#{admin}");
    }

    /** The same predicate for a member id and admin flag given as SQL expressions (positional statements, say). */
    public static String facilitatesCohort(String alias, String viewerExpr, String adminExpr) {
        return "(" + adminExpr + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias
                + ".id and cm.member_id = " + viewerExpr + " and cm.role = '" + FACILITATOR + "'))";
    }

    /**
     * A thread (alias {@code t}) that is not removed: not hidden or deleted by a facilitator, not withdrawn by its author
     * (withdrawal sets {@code deleted_at}). What members see, and what every count, notification, digest and mail uses,
     * moderators included: a removed thread's title leaves all of them.
     */
    public static String visibleThread(String alias) {
        return "(" + alias + ".deleted_at is null and " + alias + ".hidden_at is null)";
    }

    /**
     * A thread (alias {@code t}, in the channel alias {@code c}) that the viewer may open or see listed on a page: one
     * that is not removed ({@link #visibleThread(String)}), or a removed one in a channel the viewer moderates (the
     * pages mark it, so that its facilitators can find it, see why and show it again). Callers add
     * {@link #visibleChannel(String)}. Twin: {@link #canSeeThread(Viewer, ChannelFacts, boolean)}.
     */
    public static String visibleThread(String alias, String channelAlias) {
        return "(" + visibleThread(alias) + " or " + moderates(channelAlias) + ")";
    }

    /**
     * Why a thread (alias {@code t}) is removed, as a column: null (it is not), 'hidden', 'deleted' (by a facilitator)
     * or 'withdrawn' (by its author).
     */
    public static String threadRemoval(String alias) {
        return "(case when " + alias + ".deleted_at is not null then (case when " + alias + ".withdrawn then 'withdrawn'"
                + " else 'deleted' end) when " + alias + ".hidden_at is not null then 'hidden' end)";
    }

    /** The reason the viewer ({@code #{viewer}}) is read-only in the channel's (alias c) cohort, or null. */
    public static String silenced(String channelAlias) {
        return "(select s.reason from cohort_silence s where s.cohort_id = " + channelAlias
                + ".cohort_id and s.member_id = #{viewer} and s.until > now())";
    }

    /**
     * When the viewer's ({@code #{viewer}}) silence in the channel's (alias c) cohort ends: null when they are not
     * silenced, or silenced until it is lifted.
     */
    public static String silencedUntil(String channelAlias) {
        return "(select case when s.until = 'infinity' then null else s.until end from cohort_silence s where s.cohort_id = "
                + channelAlias + ".cohort_id and s.member_id = #{viewer} and s.until > now())";
    }

    /** Whether the channel (alias c) belongs to an archived cohort: its threads stay readable, and take nothing new. */
    public static String cohortArchived(String channelAlias) {
        return "exists (select 1 from cohort co where co.id = " + channelAlias + ".cohort_id and co.archived_at is not null)";
    }

    /**
     * The facts of the channel (alias c) that the per-object decisions take, as columns for {@link ChannelFacts#of}:
     * its cohort, whether it is archived, the viewer's role in its cohort, whether that cohort is archived, and the
     * reason the viewer is silenced there. No policy is in them: the decision is {@link #canSee}, {@link #canModerate},
     * {@link #ensureCanPost}.
     */
    public static String channelFacts(String alias) {
        return alias + ".cohort_id as g_cohort_id, " + alias + ".archived_at is not null as g_archived, "
                + "(select cm.role from cohort_member cm where cm.cohort_id = " + alias
                + ".cohort_id and cm.member_id = #{viewer}) as g_role, " + cohortArchived(alias) + " as g_cohort_archived, "
                + silenced(alias) + " as g_silenced";
    }

    /**
     * The crowd a channel (alias c) gives an anonymous author: the members of its audience (its cohort's members, or
     * every member for a network channel) who used Roundtable within {@code activeDays} days and have been in that
     * audience for {@code seatedHours} hours. Accounts that never log in, and seats added just before a post, make no
     * crowd (docs/security/anonymity.md, "The crowd").
     */
    public static String audience(int activeDays, int seatedHours) {
        return """
                (case when c.cohort_id is null then
                          (select count(*) from member am where am.last_seen_on >= current_date - %1$d
                             and am.created_at <= now() - make_interval(hours => %2$d))
                      else (select count(*) from cohort_member cm join member am on am.id = cm.member_id
                            where cm.cohort_id = c.cohort_id and am.last_seen_on >= current_date - %1$d
                              and cm.joined_at <= now() - make_interval(hours => %2$d)) end)""".formatted(activeDays,
                seatedHours);
    }

    /** SQL for "member m is an admin", from the realm roles of their last login. */
    public static final String MEMBER_IS_ADMIN = "('admin' = any(m.roles))";

    // ================================================================ per object

    /**
     * What the decisions need to know of one channel: its cohort (null: a network channel), whether it is archived, the
     * viewer's role in its cohort (null: not a member), whether the cohort is archived, and the reason the viewer is
     * silenced there (null: they are not).
     */
    public record ChannelFacts(Long cohortId, boolean archived, String cohortRole, boolean cohortArchived,
            String silencedReason) {

        /** From the columns of {@link Guardian#channelFacts(String)}. */
        public static ChannelFacts of(Row row) {
            return new ChannelFacts(row.getLong("g_cohort_id"), row.getBoolean("g_archived"), row.getString("g_role"),
                    row.getBoolean("g_cohort_archived"), row.getString("g_silenced"));
        }
    }

    /** Twin of {@link #visibleChannel(String)}. */
    public static boolean canSee(Viewer viewer, ChannelFacts channel) {
        return !channel.archived() && (channel.cohortId() == null || viewer.isAdmin() || channel.cohortRole() != null);
    }

    /** Twin of {@link #moderates(String)}. */
    public static boolean canModerate(Viewer viewer, ChannelFacts channel) {
        return viewer.isAdmin() || (channel.cohortId() == null && viewer.isNetworkFacilitator())
                || FACILITATOR.equals(channel.cohortRole());
    }

    /** Twin of {@link #visibleThread(String, String)} and {@link #visibleChannel(String)} together. */
    public static boolean canSeeThread(Viewer viewer, ChannelFacts channel, boolean threadRemoved) {
        return canSee(viewer, channel) && (!threadRemoved || canModerate(viewer, channel));
    }

    /** Twin of {@link #visibleCohort(String)}, given the viewer's role in the cohort (null: not a member). */
    public static boolean canSeeCohort(Viewer viewer, String cohortRole) {
        return viewer.isAdmin() || cohortRole != null;
    }

    /** Twin of {@link #facilitatesCohort(String)}. */
    public static boolean facilitates(Viewer viewer, String cohortRole) {
        return viewer.isAdmin() || FACILITATOR.equals(cohortRole);
    }

    /** Whether the viewer may write at all: a member who is not suspended. */
    public static boolean canWrite(Viewer viewer) {
        return !viewer.isGuest() && !viewer.isSuspended();
    }

    /** Whether the viewer may post in the channel now (seeing it, writing at all, not silenced, cohort not archived). */
    public static boolean canPost(Viewer viewer, ChannelFacts channel) {
        return canWrite(viewer) && canSee(viewer, channel) && !channel.cohortArchived() && channel.silencedReason() == null;
    }

    /**
     * Whether the viewer wrote a post or thread: by member id, or, for an anonymous one, by recomputing their pseudonym
     * in its thread ({@code viewerPseudonym}, asked only then).
     */
    public static boolean isAuthor(Viewer viewer, Long authorId, String pseudonym, Supplier<String> viewerPseudonym) {
        if (authorId != null) {
            return authorId == viewer.id();
        }
        return pseudonym != null && !viewer.isGuest() && pseudonym.equals(viewerPseudonym.get());
    }

    // ---------------------------------------------------------------- ensure: the refusals

    /** Any write needs a member who is not suspended: a guest 401, a suspended member 403. */
    public static void requireCanWrite(Viewer viewer) {
        if (viewer.isGuest()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        if (viewer.isSuspended()) {
            throw DomainException.forbidden("Your account is suspended"
                    + (viewer.suspensionReason() == null ? "." : ": " + viewer.suspensionReason()));
        }
    }

    /** The thing, or 404 naming {@code what} ("The thread") when it is null: absent, or not the viewer's to see. */
    public static <T> T ensureFound(T thing, String what) {
        if (thing == null) {
            throw DomainException.notFound(what);
        }
        return thing;
    }

    /** 404 ({@code what}) unless the viewer may see the channel. */
    public static void ensureCanSee(Viewer viewer, ChannelFacts channel, String what) {
        if (!canSee(viewer, channel)) {
            throw DomainException.notFound(what);
        }
    }

    /** The message of a moderator's 403. */
    public static final String MODERATORS_ONLY = "Only the facilitators of this channel can do that.";

    /** 404 ({@code what}) unless the viewer may see the channel; 403 unless they moderate it. */
    public static void ensureCanModerate(Viewer viewer, ChannelFacts channel, String what) {
        ensureCanSee(viewer, channel, what);
        if (!canModerate(viewer, channel)) {
            throw DomainException.forbidden(MODERATORS_ONLY);
        }
    }

    /**
     * 404 when the viewer may not see it; 403 unless they moderate it (a moderation column computed by
     * {@link #moderates(String)} in the statement that loaded it, null meaning not loaded: not visible).
     */
    public static void ensureCanModerate(Boolean moderator, String what) {
        if (moderator == null) {
            throw DomainException.notFound(what);
        }
        if (!moderator) {
            throw DomainException.forbidden(MODERATORS_ONLY);
        }
    }

    /**
     * Posting (a new thread, a reply, an edit's reactions…) in a channel the viewer sees: 409 when its cohort is
     * archived (checked first: nobody may post there), 403 when a facilitator silenced the viewer in the cohort.
     */
    public static void ensureCanPost(ChannelFacts channel) {
        ensureCohortOpen(channel.cohortArchived());
        ensureNotSilenced(channel.silencedReason());
    }

    /** 409 when the channel's cohort is archived ({@link #cohortArchived(String)}). */
    public static void ensureCohortOpen(boolean cohortArchived) {
        if (cohortArchived) {
            throw DomainException.conflict("This cohort is archived: its channels can be read, and take no new posts. "
                    + "Nothing was posted.");
        }
    }

    /** 403 when the viewer is silenced in the channel's cohort ({@link #silenced(String)} gave a reason). */
    public static void ensureNotSilenced(String silencedReason) {
        if (silencedReason != null) {
            throw DomainException.forbidden("A facilitator of this cohort has made you read-only here: " + silencedReason);
        }
    }

    /**
     * Replying to a thread the viewer sees, in this order: the cohort archived (409), the thread locked or closed (409),
     * the viewer silenced in the cohort (403), the viewer's pseudonym blocked in the thread (403).
     */
    public static void ensureCanReply(boolean cohortArchived, boolean locked, boolean closed, String silencedReason,
            boolean blocked) {
        ensureCohortOpen(cohortArchived);
        if (locked || closed) {
            throw DomainException.conflict(closed ? "This thread is closed: it takes no new replies."
                    : "This thread is locked: it takes no new replies.");
        }
        ensureNotSilenced(silencedReason);
        if (blocked) {
            throw DomainException.forbidden("A facilitator has blocked you from posting in this thread.");
        }
    }

    /** 403 with {@code message} ("Only the author of a post can edit or delete it.") unless the viewer wrote it. */
    public static void ensureAuthor(boolean isAuthor, String message) {
        if (!isAuthor) {
            throw DomainException.forbidden(message);
        }
    }
}
