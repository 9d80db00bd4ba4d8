package org.roundtable.cohort;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.channel.ChannelService.ThreadInChannel;
import org.roundtable.channel.ChannelSummary;
import org.roundtable.security.Viewers;
import org.roundtable.thread.ThreadSummary;
import org.roundtable.problem.DomainException;

/** The JSON API for cohorts: membership, facilitators, invitations, channels. */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class CohortResource {

    private final Viewers viewers;
    private final CohortService cohorts;
    private final InvitationService invitations;

    public CohortResource(Viewers viewers, CohortService cohorts, InvitationService invitations) {
        this.viewers = viewers;
        this.cohorts = cohorts;
        this.invitations = invitations;
    }

    public record CohortJson(String slug, String name, String description, boolean archived, int memberCount,
            CohortRole myRole, boolean managedByIdentityProvider, String keycloakGroup, OffsetDateTime createdAt) {
        static CohortJson of(CohortSummary c, boolean showGroup) {
            return new CohortJson(c.slug(), c.name(), c.description(), c.archived(), c.memberCount(), c.myRole(),
                    c.managedByIdentityProvider(), showGroup ? c.keycloakGroup() : null, c.createdAt());
        }
    }

    public record MemberJson(String username, String name, String title, String school, String district, CohortRole role,
            OffsetDateTime joinedAt) {
        static MemberJson of(CohortMember m) {
            return new MemberJson(m.username(), m.name(), m.title(), m.school(), m.district(), m.role(), m.joinedAt());
        }
    }

    /** {@code removal}: null, or for the channel's moderators why the thread is removed (hidden, deleted, withdrawn). */
    public record ThreadJson(long id, String title, String channel, String author, int replyCount, boolean solved,
            OffsetDateTime lastPostedAt, String removal) {
        static ThreadJson of(ThreadInChannel t) {
            ThreadSummary s = t.thread();
            return new ThreadJson(s.id(), s.title(), t.channelSlug(), s.author().label(), s.replyCount(), s.solved(),
                    s.lastPostedAt(), s.removal());
        }
    }

    public record CohortDetailJson(CohortJson cohort, List<ChannelSummary> channels, List<MemberJson> facilitators,
            List<MemberJson> members, List<ThreadJson> recentThreads, List<Invitation> invitations) {
    }

    @GET
    @Path("cohorts")
    @Operation(summary = "The cohorts you belong to (admins: every cohort)")
    public Uni<List<CohortJson>> list() {
        return viewers.current().flatMap(viewer -> cohorts.cohorts(viewer)
                .map(list -> list.stream().map(c -> CohortJson.of(c, viewer.isAdmin() || c.isFacilitator())).toList()));
    }

    public record NewCohort(String slug, String name, String description, String keycloakGroup) {
    }

    @POST
    @Path("cohorts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a cohort (admins); keycloakGroup links its membership to a Keycloak group")
    public Uni<RestResponse<CohortJson>> create(NewCohort body) {
        NewCohort b = body == null ? new NewCohort(null, null, null, null) : body;
        return viewers.current().flatMap(viewer -> cohorts.create(viewer,
                new CohortService.CohortFields(b.slug(), b.name(), b.description(), b.keycloakGroup())))
                .map(c -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, CohortJson.of(c, true))
                        .location(URI.create("/api/cohorts/" + c.slug())).build());
    }

    @GET
    @Path("cohorts/{slug}")
    @Operation(summary = "A cohort: description, channels, facilitators, members, recent threads (members only)")
    public Uni<CohortDetailJson> cohort(@PathParam("slug") String slug) {
        return viewers.current().flatMap(viewer -> cohorts.detail(viewer, slug, invitations).map(d -> new CohortDetailJson(
                CohortJson.of(d.cohort(), d.canFacilitate()), d.channels(),
                d.facilitators().stream().map(MemberJson::of).toList(), d.members().stream().map(MemberJson::of).toList(),
                d.recentThreads().stream().map(ThreadJson::of).toList(), d.invitations())));
    }

    public record CohortChanges(String name, String description, String keycloakGroup) {
    }

    @PATCH
    @Path("cohorts/{slug}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename a cohort, change its description, link or unlink a Keycloak group (\"\") (admins)")
    public Uni<CohortJson> update(@PathParam("slug") String slug, CohortChanges body) {
        if (body == null) {
            throw DomainException.badRequest("Send a JSON body: {\"name\": ..., \"description\": ..., \"keycloakGroup\": ...}.");
        }
        return viewers.current().flatMap(viewer -> cohorts.update(viewer, slug,
                new CohortService.CohortFields(null, body.name(), body.description(), body.keycloakGroup())))
                .map(c -> CohortJson.of(c, true));
    }

    @PUT
    @Path("cohorts/{slug}/archived")
    @Operation(summary = "Archive a cohort: readable, no new posts or members (admins)")
    public Uni<RestResponse<Void>> archive(@PathParam("slug") String slug) {
        return viewers.current().flatMap(viewer -> cohorts.archive(viewer, slug, true)).map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("cohorts/{slug}/archived")
    @Operation(summary = "Open an archived cohort again (admins)")
    public Uni<RestResponse<Void>> unarchive(@PathParam("slug") String slug) {
        return viewers.current().flatMap(viewer -> cohorts.archive(viewer, slug, false)).map(x -> RestResponse.noContent());
    }

    @PUT
    @Path("cohorts/{slug}/facilitators/{username}")
    @Operation(summary = "Appoint a member as facilitator of the cohort, adding them to it (admins)")
    public Uni<RestResponse<Void>> appoint(@PathParam("slug") String slug, @PathParam("username") String username) {
        return viewers.current().flatMap(viewer -> cohorts.appoint(viewer, slug, username, true))
                .map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("cohorts/{slug}/facilitators/{username}")
    @Operation(summary = "Make a facilitator a member of the cohort again (admins)")
    public Uni<RestResponse<Void>> dismiss(@PathParam("slug") String slug, @PathParam("username") String username) {
        return viewers.current().flatMap(viewer -> cohorts.appoint(viewer, slug, username, false))
                .map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("cohorts/{slug}/members/{username}")
    @Operation(summary = "Remove a member from the cohort (its facilitators; a facilitator: admins)")
    public Uni<RestResponse<Void>> remove(@PathParam("slug") String slug, @PathParam("username") String username) {
        return viewers.current().flatMap(viewer -> cohorts.remove(viewer, slug, username)).map(x -> RestResponse.noContent());
    }

    @DELETE
    @Path("cohorts/{slug}/membership")
    @Operation(summary = "Leave the cohort")
    public Uni<RestResponse<Void>> leave(@PathParam("slug") String slug) {
        return viewers.current().flatMap(viewer -> cohorts.leave(viewer, slug)).map(x -> RestResponse.noContent());
    }

    @GET
    @Path("cohorts/{slug}/invitations")
    @Operation(summary = "The cohort's pending invitations with their links (its facilitators)")
    public Uni<List<Invitation>> invitations(@PathParam("slug") String slug) {
        return viewers.current().flatMap(viewer -> invitations.pending(viewer, slug));
    }

    /** {@code email} or {@code username}; neither: a link for any member (when link invitations are on). */
    public record NewInvitation(String email, String username) {
    }

    @POST
    @Path("cohorts/{slug}/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Invite by email, by member, or make a link for anyone (its facilitators); mailed when an address is known")
    public Uni<RestResponse<Invitation>> invite(@PathParam("slug") String slug, NewInvitation body) {
        NewInvitation b = body == null ? new NewInvitation(null, null) : body;
        return viewers.current().flatMap(viewer -> invitations.invite(viewer, slug, b.email(), b.username()))
                .map(i -> RestResponse.status(RestResponse.Status.CREATED, i));
    }

    @DELETE
    @Path("cohorts/{slug}/invitations/{id}")
    @Operation(summary = "Withdraw a pending invitation (its facilitators)")
    public Uni<RestResponse<Void>> revoke(@PathParam("slug") String slug, @PathParam("id") long id) {
        return viewers.current().flatMap(viewer -> invitations.revoke(viewer, slug, id)).map(x -> RestResponse.noContent());
    }

    public record Acceptance(String token) {
    }

    @POST
    @Path("cohorts/{slug}/invitations/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept an invitation: {\"token\": the token of the link}")
    public Uni<CohortJson> accept(@PathParam("slug") String slug, Acceptance body) {
        String token = body == null ? null : body.token();
        return viewers.current().flatMap(viewer -> invitations.accept(viewer, slug, token)
                .flatMap(offer -> cohorts.require(viewer, slug)).map(c -> CohortJson.of(c, false)));
    }

    public record NewChannel(String slug, String name, String description, Boolean undiscussables) {
    }

    @POST
    @Path("cohorts/{slug}/channels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a channel of the cohort, or its own undiscussables (its facilitators, admins)")
    public Uni<RestResponse<ChannelSummary>> createChannel(@PathParam("slug") String slug, NewChannel body) {
        NewChannel b = body == null ? new NewChannel(null, null, null, null) : body;
        return viewers.current().flatMap(viewer -> cohorts.createChannel(viewer, slug, b.slug(), b.name(), b.description(),
                Boolean.TRUE.equals(b.undiscussables())))
                .map(c -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, c)
                        .location(URI.create("/api/channels/" + c.slug() + "/threads")).build());
    }
}
