package org.roundtable.cohort;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

/**
 * The cohort pages: "My cohorts", a cohort's page (with what its facilitators and admins do there), and the page an
 * invitation link opens. Forms post here and are sent back with 303.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class CohortPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Viewer viewer, List<CohortSummary> mine, List<CohortSummary> others,
                boolean canCreate);

        static native TemplateInstance cohort(Viewer viewer, CohortDetail detail, Long invited);

        static native TemplateInstance join(Viewer viewer, InvitationService.Offer offer, String token);
    }

    private final Viewers viewers;
    private final CohortService cohorts;
    private final InvitationService invitations;

    public CohortPage(Viewers viewers, CohortService cohorts, InvitationService invitations) {
        this.viewers = viewers;
        this.cohorts = cohorts;
        this.invitations = invitations;
    }

    @GET
    @Path("cohorts")
    public Uni<TemplateInstance> list() {
        return viewers.current().flatMap(viewer -> cohorts.cohorts(viewer).map(all -> Templates.list(viewer,
                all.stream().filter(CohortSummary::isMember).toList(),
                all.stream().filter(c -> !c.isMember()).toList(), viewer.isAdmin() && !viewer.isSuspended())));
    }

    @POST
    @Path("cohorts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@RestForm String slug, @RestForm String name, @RestForm String description,
            @RestForm String keycloakGroup) {
        return viewers.current().flatMap(viewer -> cohorts.create(viewer,
                new CohortService.CohortFields(slug, name, description, keycloakGroup)))
                .map(c -> seeOther("/cohorts/" + c.slug()));
    }

    @GET
    @Path("cohorts/{slug}")
    public Uni<TemplateInstance> cohort(@PathParam("slug") String slug, @QueryParam("invited") String invited) {
        return viewers.current().flatMap(viewer -> cohorts.detail(viewer, slug, invitations)
                .map(detail -> Templates.cohort(viewer, detail, parseId(invited))));
    }

    /** The invitation just made (to highlight it), or null: a mangled value only loses the highlight. */
    private static Long parseId(String value) {
        try {
            return value == null ? null : Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @POST
    @Path("cohorts/{slug}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@PathParam("slug") String slug, @RestForm String name, @RestForm String description,
            @RestForm String keycloakGroup) {
        return viewers.current().flatMap(viewer -> cohorts.update(viewer, slug,
                new CohortService.CohortFields(null, name, description, keycloakGroup == null ? "" : keycloakGroup)))
                .map(c -> seeOther("/cohorts/" + c.slug()));
    }

    @POST
    @Path("cohorts/{slug}/archive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> archive(@PathParam("slug") String slug, @RestForm String archived) {
        boolean archive = !"false".equals(archived);
        return viewers.current().flatMap(viewer -> cohorts.archive(viewer, slug, archive))
                .map(x -> seeOther("/cohorts/" + slug));
    }

    @POST
    @Path("cohorts/{slug}/facilitators")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> facilitators(@PathParam("slug") String slug, @RestForm String username, @RestForm String action) {
        boolean appoint = !"dismiss".equals(action);
        return viewers.current().flatMap(viewer -> cohorts.appoint(viewer, slug, username, appoint))
                .map(x -> seeOther("/cohorts/" + slug + "#people"));
    }

    @POST
    @Path("cohorts/{slug}/members/{username}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> remove(@PathParam("slug") String slug, @PathParam("username") String username) {
        return viewers.current().flatMap(viewer -> cohorts.remove(viewer, slug, username))
                .map(x -> seeOther("/cohorts/" + slug + "#people"));
    }

    @POST
    @Path("cohorts/{slug}/leave")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> leave(@PathParam("slug") String slug) {
        return viewers.current().flatMap(viewer -> cohorts.leave(viewer, slug)).map(x -> seeOther("/cohorts"));
    }

    @POST
    @Path("cohorts/{slug}/invitations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> invite(@PathParam("slug") String slug, @RestForm String email, @RestForm String username) {
        return viewers.current().flatMap(viewer -> invitations.invite(viewer, slug, email, username))
                .map(i -> seeOther("/cohorts/" + slug + "?invited=" + i.id() + "#invitations"));
    }

    @POST
    @Path("cohorts/{slug}/invitations/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(@PathParam("slug") String slug, @PathParam("id") long id) {
        return viewers.current().flatMap(viewer -> invitations.revoke(viewer, slug, id))
                .map(x -> seeOther("/cohorts/" + slug + "#invitations"));
    }

    @POST
    @Path("cohorts/{slug}/channels")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> createChannel(@PathParam("slug") String slug, @RestForm("channelSlug") String channelSlug,
            @RestForm String name, @RestForm String description, @RestForm String undiscussables) {
        return viewers.current().flatMap(viewer -> cohorts.createChannel(viewer, slug, channelSlug, name, description,
                "true".equals(undiscussables) || "on".equals(undiscussables)))
                .map(c -> seeOther("/cohorts/" + slug + "#channels"));
    }

    /** The page an invitation link opens: what the cohort is, and a button to join (a GET never joins). */
    @GET
    @Path("cohorts/{slug}/join")
    public Uni<TemplateInstance> join(@PathParam("slug") String slug, @QueryParam("token") String token) {
        return viewers.current().flatMap(viewer -> invitations.check(viewer, slug, token)
                .map(offer -> Templates.join(viewer, offer, token)));
    }

    @POST
    @Path("cohorts/{slug}/join")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> accept(@PathParam("slug") String slug, @RestForm String token) {
        return viewers.current().flatMap(viewer -> invitations.accept(viewer, slug, token))
                .map(offer -> seeOther("/cohorts/" + offer.cohort().slug()));
    }

    static Response seeOther(String location) {
        return Response.seeOther(URI.create(location)).build();
    }
}
