package org.roundtable.digest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.jboss.resteasy.reactive.RestResponse;
import org.roundtable.digest.DigestConfig.Frequency;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;
import org.roundtable.web.Forms;
import org.roundtable.web.SentForm;

/** The preferences page: digest off, daily or weekly (or the network default), when, and mention mails. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PreferencesPage {

    public record Choice(int value, String label) {
    }

    /** What the form offers, computed once. */
    public record Options(List<Choice> hours, List<Choice> weekdays, List<String> zones) {
    }

    static final Options OPTIONS = new Options(
            IntStream.range(0, 24).mapToObj(h -> new Choice(h, String.format("%02d:00", h))).toList(),
            IntStream.rangeClosed(1, 7).mapToObj(d -> new Choice(d,
                    DayOfWeek.of(d).getDisplayName(TextStyle.FULL, Locale.ENGLISH))).toList(),
            ZoneId.getAvailableZoneIds().stream().filter(z -> z.contains("/") && !z.startsWith("Etc/")
                    && !z.startsWith("SystemV/")).sorted().toList());

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance preferences(Viewer viewer, PreferenceService.Preferences preferences, Options options,
                boolean saved, SentForm sent);
    }

    private final Viewers viewers;
    private final PreferenceService preferences;

    public PreferencesPage(Viewers viewers, PreferenceService preferences) {
        this.viewers = viewers;
        this.preferences = preferences;
    }

    @GET
    @Path("preferences")
    public Uni<TemplateInstance> page(@QueryParam("saved") boolean saved) {
        return viewers.current().flatMap(viewer -> preferences.get(viewer)
                .map(p -> Templates.preferences(viewer, p, OPTIONS, saved, SentForm.NONE)));
    }

    @POST
    @Path("preferences")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<String>> save(@FormParam("frequency") String frequency, @FormParam("hour") int hour,
            @FormParam("weekday") int weekday, @FormParam("timeZone") String timeZone,
            @FormParam("emailOnMention") String emailOnMention) {
        Frequency chosen = "default".equals(frequency) ? null : Frequency.parse(frequency);
        boolean mentions = emailOnMention != null;
        // Refused: the page again with the choices as they were sent (a time zone the list does not offer stays unset).
        return viewers.current().flatMap(viewer -> Forms.submit(
                () -> preferences.save(viewer, chosen, hour, weekday, timeZone, mentions).map(x -> "/preferences?saved=true"),
                e -> preferences.get(viewer).map(current -> Templates.preferences(viewer,
                        new PreferenceService.Preferences(chosen, hour, weekday, timeZone, mentions, current.networkDefault()),
                        OPTIONS, false, SentForm.of("preferences", e, "frequency", frequency, "timeZone", timeZone)))));
    }
}
