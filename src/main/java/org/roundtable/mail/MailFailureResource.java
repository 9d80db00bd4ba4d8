package org.roundtable.mail;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.roundtable.security.Viewers;

/** Failed mails for admins (JSON API): what the mail jobs gave up on, and sending it again. */
@Path("/api/mail/failures")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MailFailureResource {

    private final Viewers viewers;
    private final MailFailures failures;

    public MailFailureResource(Viewers viewers, MailFailures failures) {
        this.viewers = viewers;
        this.failures = failures;
    }

    public record Retried(long mails) {
    }

    @GET
    @Operation(summary = "Mails given up after their tries: digests and mention mails, with the last error (admins)")
    public Uni<MailFailures.Failures> list() {
        return viewers.current().flatMap(failures::list);
    }

    @POST
    @Path("retry")
    @Operation(summary = "Put every failed mail back in the queue with its tries reset (admins)")
    public Uni<Retried> retry() {
        return viewers.current().flatMap(failures::retry).map(Retried::new);
    }
}
