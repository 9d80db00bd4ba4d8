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
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.security.Viewers;
import org.roundtable.problem.DomainException;
import org.roundtable.web.Forms;
import org.roundtable.web.SentForm;

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
                boolean canCreate, SentForm sent);

        static native TemplateInstance cohort(Viewer viewer, CohortDetail detail, Long invited, SentForm sent);

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
        return viewers.current().flatMap(viewer -> list(viewer, SentForm.NONE));
    }

    private Uni<TemplateInstance> list(Viewer viewer, SentForm sent) {
        return cohorts.cohorts(viewer).map(all -> Templates.list(viewer,
                all.stream().filter(CohortSummary::isMember).toList(),
                all.stream().filter(c -> !c.isMember()).toList(), viewer.isAdmin() && !viewer.isSuspended(), sent));
    }

    @POST
    @Path("cohorts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> create(@RestForm String slug, @RestForm String name, @RestForm String description,
            @RestForm String keycloakGroup) {
        return viewers.current().flatMap(viewer -> Forms.submit(() -> cohorts.create(viewer,
                new CohortService.CohortFields(slug, name, description, keycloakGroup)).map(c -> "/cohorts/" + c.slug()),
                e -> list(viewer, SentForm.of("create-cohort", e, "slug", slug, "name", name, "description", description,
                        "keycloakGroup", keycloakGroup))));
    }

    @GET
    @Path("cohorts/{slug}")
    public Uni<TemplateInstance> cohort(@PathParam("slug") String slug, @QueryParam("invited") String invited) {
        return viewers.current().flatMap(viewer -> cohorts.detail(viewer, slug, invitations)
                .map(detail -> Templates.cohort(viewer, detail, parseId(invited), SentForm.NONE)));
    }

    /** The cohort's page again, with one of its forms as it was sent and refused. */
    private Uni<TemplateInstance> again(Viewer viewer, String slug, SentForm sent) {
        return cohorts.detail(viewer, slug, invitations).map(detail -> Templates.cohort(viewer, detail, null, sent));
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
    public Uni<RestResponse<String>> update(@PathParam("slug") String slug, @RestForm String name,
            @RestForm String description, @RestForm String keycloakGroup) {
        return viewers.current().flatMap(viewer -> Forms.submit(() -> cohorts.update(viewer, slug,
                new CohortService.CohortFields(null, name, description, keycloakGroup == null ? "" : keycloakGroup))
                .map(c -> "/cohorts/" + c.slug()),
                e -> again(viewer, slug, SentForm.of("edit-cohort", e, "name", name, "description", description,
                        "keycloakGroup", keycloakGroup))));
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
    public Uni<RestResponse<String>> facilitators(@PathParam("slug") String slug, @RestForm String username,
            @RestForm String action) {
        boolean appoint = !"dismiss".equals(action);
        return viewers.current().flatMap(viewer -> Forms.submit(
                () -> cohorts.appoint(viewer, slug, username, appoint).map(x -> "/cohorts/" + slug + "#people"),
                e -> again(viewer, slug, SentForm.of(appoint ? "appoint" : "dismiss", e, "username", username))));
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
    public Uni<RestResponse<String>> invite(@PathParam("slug") String slug, @RestForm String email,
            @RestForm String username) {
        return viewers.current().flatMap(viewer -> Forms.submit(() -> invitations.invite(viewer, slug, email, username)
                .map(i -> "/cohorts/" + slug + "?invited=" + i.id() + "#invitations"),
                e -> again(viewer, slug, SentForm.of("invite", e, "email", email, "username", username))));
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
    public Uni<RestResponse<String>> createChannel(@PathParam("slug") String slug,
            @RestForm("channelSlug") String channelSlug, @RestForm String name, @RestForm String description,
            @RestForm String undiscussables) {
        return viewers.current().flatMap(viewer -> Forms.submit(() -> cohorts.createChannel(viewer, slug, channelSlug,
                name, description, "true".equals(undiscussables) || "on".equals(undiscussables))
                .map(c -> "/cohorts/" + slug + "#channels"),
                e -> again(viewer, slug, SentForm.of("create-channel", renamed(e, "slug", "channelSlug"),
                        "channelSlug", channelSlug, "name", name, "description", description,
                        "undiscussables", undiscussables))));
    }

    /** The refusal with a field's error under the name the page's form gives that field. */
    private static DomainException renamed(DomainException refusal, String field, String formField) {
        if (!refusal.fieldErrors().containsKey(field)) {
            return refusal;
        }
        java.util.Map<String, String> errors = new java.util.LinkedHashMap<>(refusal.fieldErrors());
        errors.put(formField, errors.remove(field));
        return DomainException.invalid(errors);
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
