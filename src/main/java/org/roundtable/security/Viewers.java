package org.roundtable.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Resolves the viewer of the current request without blocking (authentication is lazy). */
@ApplicationScoped
public class Viewers {

    private final CurrentIdentityAssociation identities;

    public Viewers(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    public Uni<Viewer> current() {
        return identities.getDeferredIdentity().map(Viewers::of);
    }

    /**
     * The identity attribute (a Throwable) that the member augmentor sets when the member row could not be read because
     * PostgreSQL was unreachable: the request then answers 503 (db/Unavailable) instead of treating the member as a guest.
     */
    public static final String UNAVAILABLE = "roundtable.database-unavailable";

    public static Viewer of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Viewer.GUEST;
        }
        Throwable unavailable = identity.getAttribute(UNAVAILABLE);
        if (unavailable != null) {
            throw new DatabaseUnavailable(unavailable);
        }
        Viewer viewer = identity.getAttribute(Viewer.ATTRIBUTE);
        return viewer == null ? Viewer.GUEST : viewer;
    }

    /**
     * A logged-in viewer whose member row could not be read: PostgreSQL is unreachable. Its cause is the failure, so
     * web/ErrorMapper answers 503 with Retry-After.
     */
    public static final class DatabaseUnavailable extends RuntimeException {
        DatabaseUnavailable(Throwable cause) {
            super("The database is unavailable: " + cause, cause, false, false);
        }
    }
}
