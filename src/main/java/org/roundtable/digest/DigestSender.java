package org.roundtable.digest;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.roundtable.db.Database;
import org.roundtable.digest.DigestBuilder.Built;
import org.roundtable.digest.DigestQueue.Claimed;
import org.roundtable.digest.DigestService.Run;
import org.roundtable.digest.DigestService.SimulatedCrash;
import org.roundtable.digest.DigestService.Worker;
import org.roundtable.mail.OutgoingMail;

/**
 * Sending digests: per mail, one short transaction marks its period sent (locking the row) and hands the mail to the
 * worker's sink (the SMTP server) before it commits, so a period leaves 'pending' once; a failed send releases the
 * period with a backoff (docs/architecture.md, "Digests", step 4, and "The guarantee"). The mail is rendered before
 * the transaction, so the lock is held only for the SMTP exchange.
 */
@ApplicationScoped
public class DigestSender {

    private final Database db;
    private final DigestMail mails;
    private final DigestQueue queue;

    public DigestSender(Database db, DigestMail mails, DigestQueue queue) {
        this.db = db;
        this.mails = mails;
        this.queue = queue;
    }

    /**
     * Sends a built batch: closes the empty digests at once, then sends the others one after another, extending the
     * worker's lease every 25 mails; {@code sent} counts the worker's mails (for {@link Worker#crashAfter}).
     */
    Uni<Run> deliver(Clock clock, Worker worker, List<Built> built, AtomicInteger sent) {
        List<Built> empty = built.stream().filter(Built::empty).toList();
        List<Built> full = built.stream().filter(b -> !b.empty()).toList();
        Uni<Integer> marked = queue.markEmpty(clock.instant(), empty.stream().map(Built::claimed).toList());
        AtomicInteger index = new AtomicInteger();
        return marked.flatMap(emptied -> Multi.createFrom().iterable(full)
                .onItem().transformToUniAndConcatenate(b -> {
                    if (worker.crashAfter() >= 0 && sent.get() >= worker.crashAfter()) {
                        throw new SimulatedCrash(worker.id());
                    }
                    Uni<Void> heartbeat = index.getAndIncrement() % 25 == 24
                            ? queue.heartbeat(worker, clock.instant().plus(worker.lease()))
                            : Uni.createFrom().voidItem();
                    return heartbeat.flatMap(x -> sendOne(clock, worker, b)).invoke(ok -> {
                        if (ok) {
                            sent.incrementAndGet();
                        }
                    });
                })
                .collect().asList()
                .map(results -> new Run(0, (int) results.stream().filter(ok -> ok).count(), emptied)));
    }

    private Uni<Boolean> sendOne(Clock clock, Worker worker, Built b) {
        Claimed c = b.claimed();
        // The period's Message-ID is random and kept in its row: a digest sent again (the instance died between the
        // relay's acceptance and the commit) carries the same one, and mailboxes show it once.
        return mails.render(c.email(), b.view())
                .map(mail -> OutgoingMail.header(mail, "Message-ID", "<" + c.messageId() + "@" + mails.mailDomain() + ">"))
                .flatMap(mail -> db.inTransaction(conn -> queue.markSent(conn, c, clock.instant(), b.view().itemCount())
                        .flatMap(mine -> mine == null ? Uni.createFrom().item(false)
                                : worker.sink().apply(mail).replaceWith(true))))
                .onFailure(failure -> !(failure instanceof SimulatedCrash)).recoverWithUni(failure -> {
                    // The transaction rolled back: the row is pending, still claimed. Released with a backoff, or failed.
                    Log.warnf("Digest %s of member %d not sent: %s", c.periodKey(), c.memberId(), failure.toString());
                    return queue.release(clock.instant(), worker, c, failure).replaceWith(false);
                });
    }
}
