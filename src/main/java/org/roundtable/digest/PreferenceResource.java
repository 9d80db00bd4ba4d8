package org.roundtable.digest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.roundtable.digest.DigestConfig.Frequency;
import org.roundtable.security.Viewers;
import org.roundtable.problem.DomainException;

@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PreferenceResource {

    private final Viewers viewers;
    private final PreferenceService preferences;

    public PreferenceResource(Viewers viewers, PreferenceService preferences) {
        this.viewers = viewers;
        this.preferences = preferences;
    }

    /** {@code digest}: off, daily, weekly, or "default" (null) for the network default. */
    public record PreferencesJson(String digest, String effectiveDigest, Integer hour, Integer weekday, String timeZone,
            Boolean emailOnMention) {
        static PreferencesJson of(PreferenceService.Preferences p) {
            return new PreferencesJson(p.usesNetworkDefault() ? "default" : p.frequency().name(), p.effectiveFrequency().name(),
                    p.hour(), p.weekday(), p.timeZone(), p.emailOnMention());
        }
    }

    @GET
    @Path("preferences")
    @Operation(summary = "Your mail preferences")
    public Uni<PreferencesJson> get() {
        return viewers.current().flatMap(preferences::get).map(PreferencesJson::of);
    }

    @PUT
    @Path("preferences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set your mail preferences; digest is off, daily, weekly or default (the network's)")
    public Uni<PreferencesJson> put(PreferencesJson body) {
        if (body == null) {
            throw DomainException.badRequest("Send a JSON body: {\"digest\": \"weekly\", \"hour\": 7, \"weekday\": 1, ...}.");
        }
        Frequency frequency = body.digest() == null || "default".equals(body.digest()) ? null : Frequency.parse(body.digest());
        if (body.digest() != null && !"default".equals(body.digest()) && frequency == null) {
            throw DomainException.invalid(Map.of("digest", "Choose off, daily, weekly or default."));
        }
        return viewers.current().flatMap(viewer -> preferences.get(viewer).flatMap(current -> preferences.save(viewer,
                frequency, body.hour() == null ? current.hour() : body.hour(),
                body.weekday() == null ? current.weekday() : body.weekday(),
                body.timeZone() == null ? current.timeZone() : body.timeZone(),
                body.emailOnMention() == null ? current.emailOnMention() : body.emailOnMention())))
                .map(PreferencesJson::of);
    }
}
