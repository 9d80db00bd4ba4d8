package org.roundtable.member;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.security.Viewer;

/**
 * Turns a Keycloak identity (ID token for pages, access token for /api) into a {@link Viewer}: the member row
 * is created on first login and kept in step with the token afterwards.
 */
@ApplicationScoped
public class MemberIdentityAugmentor implements SecurityIdentityAugmentor {

    private final MemberService members;

    public MemberIdentityAugmentor(MemberService members) {
        this.members = members;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        return members.sync(MemberClaims.from(token, identity.getRoles()))
                .map(viewer -> QuarkusSecurityIdentity.builder(identity)
                        .addAttribute(Viewer.ATTRIBUTE, viewer)
                        .build());
    }
}
