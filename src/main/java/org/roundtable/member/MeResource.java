package org.roundtable.member;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.roundtable.security.Viewers;

@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final Viewers viewers;

    public MeResource(Viewers viewers) {
        this.viewers = viewers;
    }

    public record Me(long id, String username, String name, String email, List<String> roles) {
    }

    @GET
    @Path("me")
    @Operation(summary = "The member behind the token")
    public Uni<Me> me() {
        return viewers.current().map(v -> new Me(v.id(), v.username(), v.name(), v.email(),
                v.roles().stream().sorted().toList()));
    }
}
