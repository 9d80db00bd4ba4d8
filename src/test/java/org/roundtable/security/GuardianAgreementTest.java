package org.roundtable.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roundtable.db.Database;
import org.roundtable.db.Params;
import org.roundtable.security.Guardian.ChannelFacts;
import org.roundtable.problem.DomainException;

/**
 * Guardian's two forms agree (Discourse's {@code can_see_topic?} beside {@code Topic.secured}): for every viewer of a
 * matrix (outsider, member, silenced member, cohort facilitator, network facilitator, admin, suspended member) and every
 * channel and thread of a small world made here in PostgreSQL (network channel, network undiscussables, a cohort's
 * channel and undiscussables, an archived cohort's channel, an archived channel; in each an open, a hidden and a
 * deleted thread), the per-object decisions over one object's facts give the same answer as the SQL predicates over
 * the set. The world is made with SQL only: no Keycloak login, no HTTP.
 */
@QuarkusTest
class GuardianAgreementTest {

    @Inject
    Database db;

    private final Map<String, Viewer> viewers = new LinkedHashMap<>();
    private final Map<String, Long> channels = new LinkedHashMap<>();
    private final Map<Long, String> channelNames = new HashMap<>();
    private final Map<String, Long> cohorts = new LinkedHashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();
    private final Map<Long, Long> threadChannel = new HashMap<>();
    private final Map<Long, Boolean> threadRemoved = new HashMap<>();

    @BeforeEach
    void world() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (String name : List.of("outsider", "member", "silenced", "cohortFacilitator", "networkFacilitator", "admin",
                "suspended")) {
            long id = scalar("insert into member (subject, username, name) values (#{u}, #{u}, #{u}) returning id",
                    Params.of("u", "ga-" + name + "-" + run));
            Set<String> roles = switch (name) {
                case "networkFacilitator" -> Set.of(Viewer.MEMBER, Viewer.FACILITATOR);
                case "admin" -> Set.of(Viewer.MEMBER, Viewer.ADMIN);
                default -> Set.of(Viewer.MEMBER);
            };
            OffsetDateTime suspended = "suspended".equals(name) ? OffsetDateTime.now().plusDays(3) : null;
            viewers.put(name, new Viewer(id, name, name, null, roles, suspended, suspended == null ? null : "a test"));
        }
        for (String cohort : List.of("open", "archived")) {
            long id = scalar("""
                    insert into cohort (slug, name, archived_at) values (#{slug}, #{slug},
                        case when #{archived} then now() end) returning id
                    """, Params.of("slug", "ga-" + cohort + "-" + run, "archived", "archived".equals(cohort)));
            cohorts.put(cohort, id);
            for (String who : List.of("member", "silenced", "suspended", "cohortFacilitator")) {
                scalar("insert into cohort_member (cohort_id, member_id, role) values (#{c}, #{m}, #{r}) returning 1",
                        Params.of("c", id, "m", viewers.get(who).id(), "r",
                                "cohortFacilitator".equals(who) ? "facilitator" : "member"));
            }
        }
        scalar("insert into cohort_silence (cohort_id, member_id, reason) values (#{c}, #{m}, 'a test') returning 1",
                Params.of("c", cohorts.get("open"), "m", viewers.get("silenced").id()));
        channel(run, "network", "network", null, false);
        channel(run, "networkUndiscussables", "undiscussables", null, false);
        channel(run, "cohort", "cohort", cohorts.get("open"), false);
        channel(run, "cohortUndiscussables", "undiscussables", cohorts.get("open"), false);
        channel(run, "archivedCohort", "cohort", cohorts.get("archived"), false);
        channel(run, "archivedChannel", "network", null, true);
        for (var channel : channels.entrySet()) {
            for (String state : List.of("open", "hidden", "deleted")) {
                long id = scalar("""
                        insert into thread (channel_id, title, author_id, post_count, hidden_at, deleted_at)
                        values (#{c}, #{t}, #{a}, 0, case when #{s} = 'hidden' then now() end,
                                case when #{s} = 'deleted' then now() end) returning id
                        """, Params.of("c", channel.getValue(), "t", channel.getKey() + "/" + state, "a",
                        viewers.get("member").id()).and("s", state));
                threadNames.put(id, channel.getKey() + "/" + state);
                threadChannel.put(id, channel.getValue());
                threadRemoved.put(id, !"open".equals(state));
            }
        }
    }

    private void channel(String run, String name, String kind, Long cohort, boolean archived) {
        long id = scalar("""
                insert into channel (slug, name, kind, cohort_id, archived_at)
                values (#{slug}, #{slug}, #{kind}, #{cohort}, case when #{archived} then now() end) returning id
                """, Params.of("slug", ("ga-" + name + "-" + run).toLowerCase(), "kind", kind, "cohort", cohort)
                .and("archived", archived));
        channels.put(name, id);
        channelNames.put(id, name);
    }

    private long scalar(String sql, Params params) {
        return db.one(sql, params, row -> row.getLong(0) == null ? 0L : row.getLong(0)).await().indefinitely();
    }

    private Long[] channelIds() {
        return channels.values().toArray(Long[]::new);
    }

    /** The facts of each channel of the world, for one viewer. */
    private Map<Long, ChannelFacts> facts(Viewer viewer) {
        Map<Long, ChannelFacts> facts = new HashMap<>();
        db.list("select c.id, " + Guardian.channelFacts("c") + " from channel c where c.id = any(#{ids})",
                Guardian.binds(viewer).and("ids", channelIds()), row -> facts.put(row.getLong("id"), ChannelFacts.of(row)))
                .await().indefinitely();
        return facts;
    }

    /** The names of the world's channels a predicate of channel c selects, for one viewer. */
    private Set<String> channelsWhere(Viewer viewer, String predicate) {
        return new TreeSet<>(db.list("select c.id from channel c where c.id = any(#{ids}) and " + predicate,
                Guardian.binds(viewer).and("ids", channelIds()), row -> channelNames.get(row.getLong("id")))
                .await().indefinitely());
    }

    private Set<String> channelsDecided(Viewer viewer, java.util.function.BiPredicate<Viewer, ChannelFacts> decision) {
        Set<String> names = new TreeSet<>();
        facts(viewer).forEach((id, f) -> {
            if (decision.test(viewer, f)) {
                names.add(channelNames.get(id));
            }
        });
        return names;
    }

    @Test
    void shouldSeeTheSameChannelsPerObjectAsTheSetBasedPredicate() {
        viewers.forEach((name, viewer) -> assertThat(channelsDecided(viewer, Guardian::canSee))
                .as("channels %s may read", name)
                .isEqualTo(channelsWhere(viewer, Guardian.visibleChannel("c"))));
        // and the answers are the rules, not merely two equal mistakes
        assertThat(channelsWhere(viewers.get("outsider"), Guardian.visibleChannel("c")))
                .containsExactlyInAnyOrder("network", "networkUndiscussables");
        assertThat(channelsWhere(viewers.get("member"), Guardian.visibleChannel("c")))
                .containsExactlyInAnyOrder("network", "networkUndiscussables", "cohort", "cohortUndiscussables",
                        "archivedCohort");
        assertThat(channelsWhere(viewers.get("networkFacilitator"), Guardian.visibleChannel("c")))
                .containsExactlyInAnyOrder("network", "networkUndiscussables");
        assertThat(channelsWhere(viewers.get("admin"), Guardian.visibleChannel("c"))).doesNotContain("archivedChannel")
                .hasSize(5);
    }

    @Test
    void shouldModerateTheSameChannelsPerObjectAsTheSetBasedPredicate() {
        viewers.forEach((name, viewer) -> assertThat(channelsDecided(viewer, Guardian::canModerate))
                .as("channels %s moderates", name)
                .isEqualTo(channelsWhere(viewer, Guardian.moderates("c"))));
        assertThat(channelsDecided(viewers.get("member"), Guardian::canModerate)).isEmpty();
        assertThat(channelsDecided(viewers.get("cohortFacilitator"), Guardian::canModerate))
                .containsExactlyInAnyOrder("cohort", "cohortUndiscussables", "archivedCohort");
        assertThat(channelsDecided(viewers.get("networkFacilitator"), Guardian::canModerate))
                .containsExactlyInAnyOrder("network", "networkUndiscussables", "archivedChannel");
    }

    @Test
    void shouldSeeTheSameThreadsPerObjectAsTheSetBasedPredicate() {
        Long[] threadIds = threadNames.keySet().toArray(Long[]::new);
        viewers.forEach((name, viewer) -> {
            Map<Long, ChannelFacts> facts = facts(viewer);
            Set<String> decided = new TreeSet<>();
            threadNames.forEach((id, thread) -> {
                if (Guardian.canSeeThread(viewer, facts.get(threadChannel.get(id)), threadRemoved.get(id))) {
                    decided.add(thread);
                }
            });
            Set<String> selected = new TreeSet<>(db.list("select t.id from thread t join channel c on c.id = t.channel_id "
                    + "where t.id = any(#{ids}) and " + Guardian.visibleThread("t", "c") + " and "
                    + Guardian.visibleChannel("c"), Guardian.binds(viewer).and("ids", threadIds),
                    row -> threadNames.get(row.getLong("id"))).await().indefinitely());
            assertThat(decided).as("threads %s may open", name).isEqualTo(selected);
        });
        assertThat(threadsSeen("member")).contains("cohort/open").doesNotContain("cohort/hidden", "network/deleted");
        assertThat(threadsSeen("cohortFacilitator")).contains("cohort/hidden", "cohort/deleted")
                .doesNotContain("network/hidden");
    }

    private Set<String> threadsSeen(String viewerName) {
        Viewer viewer = viewers.get(viewerName);
        Map<Long, ChannelFacts> facts = facts(viewer);
        Set<String> seen = new TreeSet<>();
        threadNames.forEach((id, thread) -> {
            if (Guardian.canSeeThread(viewer, facts.get(threadChannel.get(id)), threadRemoved.get(id))) {
                seen.add(thread);
            }
        });
        return seen;
    }

    @Test
    void shouldAllowPostingInTheSameChannelsPerObjectAsTheSetBasedGates() {
        viewers.forEach((name, viewer) -> {
            Set<String> selected = Guardian.canWrite(viewer)
                    ? channelsWhere(viewer, Guardian.visibleChannel("c") + " and not " + Guardian.cohortArchived("c")
                            + " and " + Guardian.silenced("c") + " is null")
                    : Set.of();
            assertThat(channelsDecided(viewer, Guardian::canPost)).as("channels %s may post in", name).isEqualTo(selected);
        });
        assertThat(channelsDecided(viewers.get("member"), Guardian::canPost))
                .containsExactlyInAnyOrder("network", "networkUndiscussables", "cohort", "cohortUndiscussables");
        assertThat(channelsDecided(viewers.get("silenced"), Guardian::canPost))
                .containsExactlyInAnyOrder("network", "networkUndiscussables");
        assertThat(channelsDecided(viewers.get("suspended"), Guardian::canPost)).isEmpty();
    }

    @Test
    void shouldSeeAndFacilitateTheSameCohortsPerObjectAsTheSetBasedPredicates() {
        Long[] cohortIds = cohorts.values().toArray(Long[]::new);
        viewers.forEach((name, viewer) -> {
            Map<Long, String> roles = new HashMap<>();
            db.list("""
                    select co.id, (select cm.role from cohort_member cm where cm.cohort_id = co.id and cm.member_id = #{viewer})
                           as role from cohort co where co.id = any(#{ids})
                    """, Guardian.binds(viewer).and("ids", cohortIds), row -> roles.put(row.getLong("id"),
                    row.getString("role"))).await().indefinitely();
            for (String predicate : List.of("see", "facilitate")) {
                Set<Long> decided = new TreeSet<>();
                roles.forEach((id, role) -> {
                    if ("see".equals(predicate) ? Guardian.canSeeCohort(viewer, role) : Guardian.facilitates(viewer, role)) {
                        decided.add(id);
                    }
                });
                String sql = "see".equals(predicate) ? Guardian.visibleCohort("co") : Guardian.facilitatesCohort("co");
                Set<Long> selected = new TreeSet<>(db.list("select co.id from cohort co where co.id = any(#{ids}) and " + sql,
                        Guardian.binds(viewer).and("ids", cohortIds), row -> row.getLong("id")).await().indefinitely());
                assertThat(decided).as("cohorts %s may %s", name, predicate).isEqualTo(selected);
            }
        });
    }

    @Test
    void shouldRefuseModerationWithNotFoundWhereUnseenAndForbiddenWhereOnlySeen() {
        viewers.forEach((name, viewer) -> facts(viewer).forEach((id, f) -> {
            int expected = !Guardian.canSee(viewer, f) ? 404 : !Guardian.canModerate(viewer, f) ? 403 : 0;
            if (expected == 0) {
                Guardian.ensureCanModerate(viewer, f, "The channel");
            } else {
                assertThatThrownBy(() -> Guardian.ensureCanModerate(viewer, f, "The channel"))
                        .as("%s moderating %s", name, channelNames.get(id))
                        .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.status()).isEqualTo(expected));
            }
        }));
        Map<Long, ChannelFacts> member = facts(viewers.get("member"));
        assertThatThrownBy(() -> Guardian.ensureCanModerate(viewers.get("outsider"),
                facts(viewers.get("outsider")).get(channels.get("cohort")), "The channel"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> Guardian.ensureCanModerate(viewers.get("member"), member.get(channels.get("cohort")),
                "The channel")).isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void shouldRefusePostingInAnArchivedCohortWithConflictAndWhileSilencedWithForbidden() {
        assertThatThrownBy(() -> Guardian.ensureCanPost(facts(viewers.get("member")).get(channels.get("archivedCohort"))))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> Guardian.ensureCanPost(facts(viewers.get("silenced")).get(channels.get("cohort"))))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.status()).isEqualTo(403));
        Guardian.ensureCanPost(facts(viewers.get("silenced")).get(channels.get("network")));
        assertThatThrownBy(() -> Guardian.requireCanWrite(viewers.get("suspended")))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.status()).isEqualTo(403));
    }
}
