package org.roundtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owning package, and only its owner writes it (insert, update, delete). ArchUnit cannot see SQL in
 * strings, so this reads the SQL in the main sources: every write to a table of the migrations, by the package of the
 * file it is in. The writes across features that are still there are listed in {@link #ALLOWED} with their reason
 * (docs/architecture.md, "Who writes which table"); a new one fails here.
 */
class TableOwnershipTest {

    static final Path SOURCES = Path.of("src/main/java/org/roundtable");
    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** Table → the package that owns it. */
    static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("member", "member"),
            Map.entry("cohort", "cohort"), Map.entry("cohort_member", "cohort"), Map.entry("cohort_invitation", "cohort"),
            Map.entry("channel", "channel"),
            Map.entry("thread", "thread"), Map.entry("post", "thread"), Map.entry("post_revision", "thread"),
            Map.entry("reaction", "thread"), Map.entry("thread_read", "thread"), Map.entry("idempotency_key", "thread"),
            Map.entry("follow", "follow"),
            Map.entry("notification", "notification"),
            Map.entry("flag", "moderation"), Map.entry("pseudonym_block", "moderation"),
            Map.entry("audit_entry", "audit"), Map.entry("rate_counter", "ratelimit"),
            Map.entry("cohort_silence", "moderation"),
            Map.entry("anonymous_counter", "anonymity"), Map.entry("row_shuffle", "anonymity"),
            Map.entry("digest", "digest"), Map.entry("member_preference", "digest"), Map.entry("mention_mail_retry", "digest"),
            Map.entry("web_session", "security"),
            Map.entry("housekeeping", "housekeeping"),
            Map.entry("insight_week", "insight"), Map.entry("insight_channel_week", "insight"),
            Map.entry("insight_scope_week", "insight"), Map.entry("insight_tag_week", "insight"),
            Map.entry("insight_unanswered", "insight"));

    /** Package → the other features' tables it still writes, each for a reason written down in docs/architecture.md. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            // the demo network of the local run: data for every feature, written once at start in dev
            "demo", Set.of("member", "cohort", "cohort_member", "channel", "rate_counter", "anonymous_counter"),
            // the periodic sweeps of expired rows, in the one transaction that holds the run's claim
            "housekeeping", Set.of("rate_counter", "anonymous_counter", "digest", "cohort_invitation", "idempotency_key",
                    "web_session"),
            // moderation acts on what it moderates (hide, lock, move, approve, suspend) and tells people about it;
            // deleting posts and threads and editing posts are the thread feature's (PostDestroyer, PostRevisor)
            "moderation", Set.of("post", "thread", "channel", "member", "notification"),
            // watchers are notified in the writer's transaction
            "follow", Set.of("notification"),
            // a mention mail marks its notification mailed in the transaction that sends it
            "digest", Set.of("notification"),
            // the admin's list and retry of failed mails (issue 18) sets the failed digests and mention mails due again
            "mail", Set.of("digest", "mention_mail_retry"),
            // the token's groups decide the member's Keycloak-linked cohorts, in the login's one upsert
            "member", Set.of("cohort_member"));

    private static final Pattern WRITE = Pattern.compile("(?i)\\b(insert\\s+into|update|delete\\s+from)\\s+([a-z_]+)\\b");

    @Test
    void shouldKnowTheOwnerOfEveryTable() throws IOException {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher m = Pattern.compile("(?i)create table (?:if not exists )?([a-z_]+)").matcher(Files.readString(file));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(OWNER.keySet()).as("every table of the migrations has an owner").containsAll(tables);
    }

    @Test
    void shouldLetOnlyItsOwnerWriteATable() throws IOException {
        Map<String, Set<String>> foreign = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                Matcher m = WRITE.matcher(Files.readString(file));
                while (m.find()) {
                    String table = m.group(2).toLowerCase();
                    String owner = OWNER.get(table);
                    if (owner != null && !owner.equals(pkg) && !ALLOWED.getOrDefault(pkg, Set.of()).contains(table)) {
                        foreign.computeIfAbsent(pkg + " (" + SOURCES.relativize(file) + ")", k -> new TreeSet<>()).add(table);
                    }
                }
            }
        }
        assertThat(foreign).as("writes to another feature's tables").isEmpty();
    }
}
