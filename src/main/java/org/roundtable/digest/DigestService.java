package org.roundtable.digest;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.roundtable.digest.DigestConfig.Frequency;

/**
 * Email digests, built set-based and handed out through the {@code digest} work table (docs/architecture.md,
 * "Digests"):
 * <ol>
 * <li><b>plan</b> — one statement inserts a pending row per member whose send time has come, keyed (member, period):
 * a period is planned once, however many instances plan at once;</li>
 * <li><b>claim</b> — one statement takes a batch of due rows with {@code FOR UPDATE SKIP LOCKED} and leases them to
 * this worker; rows whose lease ran out (a worker died) are claimable again;</li>
 * <li><b>build</b> — one statement fetches the content of the whole batch (what is new in what each member follows and
 * may see, the unanswered questions of their cohorts); one more marks the empty ones. A digest never depends on what
 * its member wrote anonymously: their own anonymous posts are in it as in anyone's, so that no digest, and no
 * {@code digest} row, differs for an author;</li>
 * <li><b>send</b> — per mail, one short transaction flips the row from pending to sent and sends the mail before it
 * commits. A row leaves 'pending' once, so no member gets a period's digest twice; a worker that dies mid-batch
 * leaves the rest pending for the next worker once its lease runs out. A send that fails (SMTP unreachable, the mail
 * refused) puts the row back at once with a backoff ({@code roundtable.digest.retry-after}, doubling), and after
 * {@code roundtable.digest.max-attempts} tries marks it 'failed' for an admin (docs/reliability.md).</li>
 * </ol>
 * This class runs the four steps, each in a class of its own: {@link DigestPlanner}, {@link DigestQueue} (claim, and
 * each period's way out of 'pending'), {@link DigestBuilder}, {@link DigestSender}. Every method takes the time from a
 * {@link Clock} (or an {@link Instant}), so tests can run weeks in seconds.
 */
@ApplicationScoped
public class DigestService {

    private final DigestConfig config;
    private final ReactiveMailer mailer;
    private final DigestPlanner planner;
    private final DigestQueue queue;
    private final DigestBuilder builder;
    private final DigestSender sender;
    private final String instance;

    public DigestService(DigestConfig config, ReactiveMailer mailer, DigestPlanner planner, DigestQueue queue,
            DigestBuilder builder, DigestSender sender) {
        this.config = config;
        this.mailer = mailer;
        this.planner = planner;
        this.queue = queue;
        this.builder = builder;
        this.sender = sender;
        this.instance = hostname() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What a run did. */
    public record Run(int planned, int sent, int empty) {
        Run plus(Run other) {
            return new Run(planned + other.planned, sent + other.sent, empty + other.empty);
        }

        static final Run NONE = new Run(0, 0, 0);
    }

    /**
     * Who does the work: its id (in {@code digest.claimed_by}), batch size and lease, where mails go, and — for tests
     * of a worker dying mid-batch — how many mails it sends before it stops dead, leaving its claim behind
     * ({@code crashAfter} &lt; 0: never).
     */
    public record Worker(String id, int batchSize, Duration lease, Function<Mail, Uni<Void>> sink, int crashAfter) {

        public Worker named(String name) {
            return new Worker(name, batchSize, lease, sink, crashAfter);
        }

        public Worker crashingAfter(int mails) {
            return new Worker(id, batchSize, lease, sink, mails);
        }

        public Worker withBatchSize(int size) {
            return new Worker(id, size, lease, sink, crashAfter);
        }

        public Worker sendingTo(Function<Mail, Uni<Void>> to) {
            return new Worker(id, batchSize, lease, to, crashAfter);
        }
    }

    /** Thrown by a worker told to die ({@link Worker#crashAfter}): it leaves without releasing anything. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String worker) {
            super("worker " + worker + " stopped dead (simulated crash)", null, false, false);
        }
    }

    /** This instance's worker, as configured; mails go to the SMTP server. */
    public Worker worker() {
        return new Worker(instance, config.batchSize(), config.lease(), mail -> mailer.send(mail), -1);
    }

    /**
     * The scheduled job: plan what is due now, work until nothing is claimable. Old history is removed by housekeeping
     * ({@code roundtable.digest.keep-history}).
     */
    public Uni<Run> run(Clock clock) {
        Instant now = clock.instant();
        return plan(now, config.defaultFrequency())
                .flatMap(planned -> workers(clock, worker(), config.workers())
                        .map(done -> new Run(planned, done.sent(), done.empty())));
    }

    /** Plans the periods due at {@code now}; {@code networkDefault} applies to members who never chose. */
    public Uni<Integer> plan(Instant now, Frequency networkDefault) {
        return planner.plan(now, networkDefault);
    }

    // ---------------------------------------------------------------- work: claim, build, send, batch after batch

    /** {@code count} workers side by side ("name-1", "name-2", ...), sharing the work through the work table. */
    public Uni<Run> workers(Clock clock, Worker worker, int count) {
        if (count <= 1) {
            return work(clock, worker);
        }
        List<Uni<Run>> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            all.add(work(clock, worker.named(worker.id() + "-" + i)));
        }
        return Uni.combine().all().unis(all).with(Run.class, runs -> runs.stream().reduce(Run.NONE, Run::plus));
    }

    /** The end of the work: no batch was left to claim. */
    private static final Run NOTHING_LEFT = new Run(0, 0, 0);

    /**
     * Works through claimable periods, batch after batch, until none is left. One batch is in memory at a time: each
     * round is a Uni of its own, so nothing of a finished batch stays reachable.
     */
    public Uni<Run> work(Clock clock, Worker worker) {
        AtomicInteger sent = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> queue.claim(clock.instant(), worker).flatMap(batch -> batch.isEmpty() ? Uni.createFrom().item(NOTHING_LEFT)
                        : builder.build(batch).flatMap(built -> sender.deliver(clock, worker, built, sent))))
                .until(run -> run == NOTHING_LEFT)
                .collect().in(() -> new Run[] { Run.NONE }, (total, run) -> total[0] = total[0].plus(run))
                .map(total -> total[0]);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "roundtable";
        }
    }
}
