package org.roundtable.member;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.roundtable.db.Database;

/**
 * The day each member was last seen ({@code member.last_seen_on}), which the crowd of the undiscussables counts
 * (docs/security/anonymity.md, "The crowd"). Requests mark the member in memory; the marks are written once the day is
 * over, all at once. Writing the member's row on their first request of a day would put it, in the table's order and
 * in a dump, where that moment falls among the day's other writes: the first visits of the day would be ordered, down to
 * the second, next to anonymous posts stamped with the hour. Each instance writes what it saw; a mark lost with an
 * instance that dies costs a member at most that day, of the crowd's 30.
 */
@ApplicationScoped
public class MemberActivity {

    private final Database db;
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();
    private volatile LocalDate day = today();

    public MemberActivity(Database db) {
        this.db = db;
    }

    /** A request of the member now. */
    void seen(long memberId) {
        seen.add(memberId);
    }

    @Scheduled(identity = "member-activity", every = "60s", delayed = "45s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> writeWhenTheDayIsOver() {
        if (today().equals(day)) {
            return Uni.createFrom().voidItem();
        }
        return write();
    }

    void writeAtShutdown(@Observes ShutdownEvent event) {
        try {
            write().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            Log.debugf("Members seen today not written at shutdown: %s", e.getMessage());
        }
    }

    /** Writes the day of the members seen since the last write (in id order, so their rows' order says nothing). */
    Uni<Void> write() {
        LocalDate of = day;
        day = today();
        Long[] ids = seen.stream().sorted().toArray(Long[]::new);
        if (ids.length == 0) {
            return Uni.createFrom().voidItem();
        }
        seen.removeAll(Set.of(ids));
        return db.execute("""
                update member set last_seen_on = $2
                where id = any($1) and (last_seen_on is null or last_seen_on < $2)
                """, Tuple.of(ids, of))
                .onFailure().invoke(failure -> seen.addAll(Set.of(ids)))
                .replaceWithVoid();
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
