package org.roundtable.security;

/**
 * What a member may see and do, in one place (Discourse's Guardian). Visibility is a SQL predicate that every list,
 * page and search query includes, never a filter applied after loading.
 */
public final class Guardian {

    private Guardian() {
    }

    /**
     * The channels (alias {@code c}) a viewer may read: open network channels and the undiscussables of the network,
     * and the channels of cohorts the viewer belongs to. Parameters: the viewer's member id and whether they are admin.
     */
    public static String visibleChannel(String alias, int viewerParam, int adminParam) {
        return visibleChannel(alias, "$" + viewerParam, "$" + adminParam);
    }

    /** The same predicate for a member id and admin flag given as SQL expressions (e.g. per row of member m). */
    public static String visibleChannel(String alias, String viewerExpr, String adminExpr) {
        return "(" + alias + ".archived_at is null and (" + alias + ".cohort_id is null or " + adminExpr
                + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias + ".cohort_id and cm.member_id = "
                + viewerExpr + ")))";
    }

    /**
     * The channels (alias {@code c}) a viewer moderates: admins all; network facilitators (realm role) the network
     * channels and the network's undiscussables; a cohort's facilitators that cohort's channels.
     */
    public static String moderates(String alias, int viewerParam, int adminParam, int facilitatorParam) {
        return "($" + adminParam + " or (" + alias + ".cohort_id is null and $" + facilitatorParam + ")"
                + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias + ".cohort_id and cm.member_id = $"
                + viewerParam + " and cm.role = 'facilitator'))";
    }

    /**
     * The cohorts (alias {@code co}) a viewer may know of: the ones they belong to; admins all. Anything else about a
     * cohort (its name, members, channels, threads) answers 404, like a cohort that does not exist.
     */
    public static String visibleCohort(String alias, int viewerParam, int adminParam) {
        return "($" + adminParam + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias
                + ".id and cm.member_id = $" + viewerParam + "))";
    }

    /** The cohorts (alias {@code co}) a viewer facilitates: the ones where they are a facilitator; admins all. */
    public static String facilitatesCohort(String alias, int viewerParam, int adminParam) {
        return "($" + adminParam + " or exists (select 1 from cohort_member cm where cm.cohort_id = " + alias
                + ".id and cm.member_id = $" + viewerParam + " and cm.role = 'facilitator'))";
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
     * pages mark it, so that its facilitators can find it, see why and show it again). Parameters as
     * {@link #moderates}.
     */
    public static String visibleThread(String alias, String channelAlias, int viewerParam, int adminParam,
            int facilitatorParam) {
        return "(" + visibleThread(alias) + " or " + moderates(channelAlias, viewerParam, adminParam, facilitatorParam) + ")";
    }

    /**
     * Why a thread (alias {@code t}) is removed, as a column: null (it is not), 'hidden', 'deleted' (by a facilitator)
     * or 'withdrawn' (by its author).
     */
    public static String threadRemoval(String alias) {
        return "(case when " + alias + ".deleted_at is not null then (case when " + alias + ".withdrawn then 'withdrawn'"
                + " else 'deleted' end) when " + alias + ".hidden_at is not null then 'hidden' end)";
    }

    /** Any write needs a member who is not suspended. */
    public static void requireCanWrite(Viewer viewer) {
        if (viewer.isGuest()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        if (viewer.isSuspended()) {
            throw org.roundtable.web.DomainException.forbidden("Your account is suspended"
                    + (viewer.suspensionReason() == null ? "." : ": " + viewer.suspensionReason()));
        }
    }
}
