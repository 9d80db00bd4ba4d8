package org.roundtable.follow;

import static org.roundtable.security.Guardian.visibleChannel;
import static org.roundtable.security.Guardian.visibleThread;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.roundtable.db.Database;
import org.roundtable.security.Guardian;
import org.roundtable.security.Viewer;

/**
 * The index of tags ({@code /tags}): every tag on a thread the viewer may see, with how many such threads carry it and
 * the viewer's level on it. Counted in one statement with Guardian's predicates inside it, so a thread of a cohort the
 * viewer is not in, or a removed thread, is counted for nobody who may not see it (never filtered after loading).
 */
@ApplicationScoped
public class TagIndex {

    /** How many tags the index shows at most, the most used first. */
    public static final int LIMIT = 300;

    /** A tag, the number of threads the viewer may see with it, and the viewer's level on it (normal when never set). */
    public record TagCount(String tag, long threads, Level level) {
    }

    /** The tags and whether there were more than {@link #LIMIT}. */
    public record Tags(List<TagCount> tags, boolean more) {
    }

    // visibleThread(t) without the channel: a removed thread counts for nobody, moderators included (as channel counts)
    private static final String TAGS = """
            select tg.tag, count(*) as threads,
                   (select f.level from follow f where f.member_id = #{viewer} and f.tag = tg.tag) as level
            from thread t join channel c on c.id = t.channel_id
            cross join lateral unnest(t.tags) as tg(tag)
            where %s and %s
            group by tg.tag
            order by threads desc, tg.tag
            limit #{limit}
            """.formatted(visibleChannel("c"), visibleThread("t"));

    private final Database db;

    public TagIndex(Database db) {
        this.db = db;
    }

    /** The tags of the threads the viewer may see, the most used first (ties by name), at most {@link #LIMIT}. */
    public Uni<Tags> tags(Viewer viewer) {
        return db.list(TAGS, Guardian.binds(viewer).and("limit", LIMIT + 1),
                row -> new TagCount(row.getString("tag"), row.getLong("threads"),
                        row.getString("level") == null ? Level.normal : Level.valueOf(row.getString("level"))))
                .map(all -> all.size() > LIMIT ? new Tags(all.subList(0, LIMIT), true) : new Tags(all, false));
    }
}
