package org.roundtable.thread;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.roundtable.db.Database;
import org.roundtable.problem.DomainException;
import org.roundtable.security.Viewer;
import org.roundtable.thread.PostCreator.Created;

/**
 * Idempotency keys: a repeated request (a double click, an API client's retry) makes one thread or post. The key comes
 * from the Idempotency-Key header of the API or the composer's hidden field; the table {@code idempotency_key} keeps
 * only {@code sha256(member id ‖ key)} and what the key made, and is read and written here only (housekeeping sweeps
 * expired rows, the anonymity shuffle rewrites them).
 */
@ApplicationScoped
public class IdempotencyKeys {

    private final Database db;

    public IdempotencyKeys(Database db) {
        this.db = db;
    }

    /** The key of an API request's Idempotency-Key header; null without one; not a UUID: 400. */
    public static UUID fromHeader(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(key.strip());
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("The Idempotency-Key header must be a UUID.");
        }
    }

    /** The key a composer's form carries; null when missing or mangled (the post is then made without one). */
    public static UUID fromForm(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(key.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * SQL that remembers a key: inserts (key hash, thread, post) from the expressions given, selected {@code from} what
     * the statement has (empty: nothing), and nothing when the key hash is null. The one text of the table's write, used
     * as a statement of its own ({@link #remember}) and inside a reply's one statement ({@link PostCreator}).
     */
    static String insert(String keyHash, String threadId, String postId, String from) {
        return "insert into idempotency_key (key_hash, thread_id, post_id) select %1$s, %2$s, %3$s %4$s where %1$s is not null"
                .formatted(keyHash, threadId, postId, from);
    }

    /** The key's hash as a statement parameter (null without a key). */
    static Buffer param(byte[] key) {
        return key == null ? null : Buffer.buffer(key);
    }

    /** What the key made, when it made something; null otherwise (or without a key). */
    Uni<Created> replayed(byte[] key) {
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return db.one("""
                select i.thread_id, i.post_id, p.number, p.pseudonym is not null as anonymous
                from idempotency_key i join post p on p.id = i.post_id where key_hash = $1
                """, Tuple.of(Buffer.buffer(key)),
                row -> new Created(row.getLong("thread_id"), row.getLong("post_id"), row.getInteger("number"),
                        row.getBoolean("anonymous")));
    }

    /** In the writer's transaction: the key made {@code created}. A key already used fails with {@link #isDuplicateKey}. */
    Uni<Created> remember(SqlConnection conn, byte[] key, Created created) {
        if (key == null) {
            return Uni.createFrom().item(created);
        }
        return db.execute(conn, insert("$1::bytea", "$2::bigint", "$3::bigint", ""),
                Tuple.of(param(key), created.threadId(), created.postId()))
                .replaceWith(created);
    }

    /** The failure of a write whose key was used already (two requests with one key at once). */
    static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && pg.getErrorMessage() != null && pg.getErrorMessage().contains("idempotency_key");
    }

    /** sha256(member id ‖ key): the key itself is never stored, so the row names nobody. */
    static byte[] keyHash(Viewer viewer, UUID key) {
        if (key == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((viewer.id() + ":" + key).getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
