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

    public static Viewer of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Viewer.GUEST;
        }
        Viewer viewer = identity.getAttribute(Viewer.ATTRIBUTE);
        return viewer == null ? Viewer.GUEST : viewer;
    }
}
