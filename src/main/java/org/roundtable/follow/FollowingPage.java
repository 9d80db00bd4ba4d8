package org.roundtable.follow;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.roundtable.security.Viewer;
import org.roundtable.security.Viewers;

/**
 * "What I follow" ({@code /following}): the threads, channels and tags the member gave a level, each with a compact
 * control to change it (posting to the follow routes of follow/FollowPage with {@code back=following}, which come back
 * here), and the levels explained; and the
 * index of tags ({@code /tags}), each with its number of threads the viewer may see (follow/TagIndex).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class FollowingPage {

    @CheckedTemplate(basePath = "FollowingPage")
    static class Templates {
        static native TemplateInstance following(Viewer viewer, List<Row> threads, List<Row> channels, List<Row> tags,
                List<Level> levels);

        static native TemplateInstance tags(Viewer viewer, TagIndex.Tags index);
    }

    /** One followed thread, channel or tag as the page lists it. */
    public record Row(String kind, String key, String title, Level level, String reason) {

        /** The page of the thread, channel or tag. */
        public String href() {
            return target().page();
        }

        /** Where the row's form posts (follow/FollowPage); its {@code back} field brings the member back here. */
        public String action() {
            return target().page() + "/follow";
        }

        /** An id for the row's select, unique on the page (tags and slugs are lower-case letters, digits, hyphens). */
        public String fieldId() {
            return "level-" + kind + "-" + key;
        }

        /** Why the level is what it is, when the member did not choose it themself. */
        public String why() {
            return switch (reason == null ? "" : reason) {
                case "created_thread" -> "set when you started it";
                case "replied" -> "set when you replied";
                default -> null;
            };
        }

        public List<FollowService.Current.Option> options() {
            return Arrays.stream(Level.values()).map(l -> new FollowService.Current.Option(l.name(), l.label, l == level))
                    .toList();
        }

        private Target target() {
            return switch (kind) {
                case "thread" -> Target.thread(Long.parseLong(key));
                case "channel" -> Target.channel(key);
                default -> Target.tag(key);
            };
        }
    }

    private final Viewers viewers;
    private final FollowService follows;
    private final TagIndex tags;

    public FollowingPage(Viewers viewers, FollowService follows, TagIndex tags) {
        this.viewers = viewers;
        this.follows = follows;
        this.tags = tags;
    }

    /** The member's follows that they may still see, by kind, each with its level and a control to change it. */
    @GET
    @Path("following")
    public Uni<TemplateInstance> following() {
        return viewers.current().flatMap(viewer -> follows.follows(viewer).map(all -> {
            List<Row> rows = all.stream().map(f -> new Row(f.kind(), f.key(), f.title(), Level.valueOf(f.level()), f.reason()))
                    .toList();
            return Templates.following(viewer, of(rows, "thread"), of(rows, "channel"), of(rows, "tag"),
                    List.of(Level.values()));
        }));
    }

    private static List<Row> of(List<Row> rows, String kind) {
        return rows.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    /** Every tag on a thread the viewer may see, with the number of such threads and the viewer's level. */
    @GET
    @Path("tags")
    public Uni<TemplateInstance> tags() {
        return viewers.current().flatMap(viewer -> tags.tags(viewer).map(index -> Templates.tags(viewer, index)));
    }
}
