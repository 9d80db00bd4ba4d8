package org.roundtable.thread;

import io.vertx.mutiny.sqlclient.Row;

/** Who wrote a post or thread, as shown: a member, or in the undiscussables a per-thread pseudonym. */
public record Author(Long id, String username, String name, String pseudonym) {

    public static final Author DELETED = new Author(null, null, "a former member", null);

    /** {@code {author.face}}: a member's face, or the neutral mark for a pseudonym or a former member (web/Face). */
    public org.roundtable.web.Face face() {
        return isAnonymous() ? org.roundtable.web.Face.NEUTRAL : org.roundtable.web.Face.of(username, name);
    }

    public boolean isAnonymous() {
        return pseudonym != null;
    }

    public String label() {
        return isAnonymous() ? pseudonym : name;
    }

    /** From columns {prefix}author_id, {prefix}username, {prefix}name, {prefix}pseudonym_label. */
    static Author of(Row row, String idColumn, String usernameColumn, String nameColumn, String pseudonymLabel) {
        Long id = row.getLong(idColumn);
        if (id == null) {
            return pseudonymLabel == null ? DELETED : new Author(null, null, null, pseudonymLabel);
        }
        return new Author(id, row.getString(usernameColumn), row.getString(nameColumn), null);
    }
}
