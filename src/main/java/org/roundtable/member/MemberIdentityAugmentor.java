package org.roundtable.member;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.db.Unavailable;
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
                .<SecurityIdentity>map(viewer -> QuarkusSecurityIdentity.builder(identity)
                        .addAttribute(Viewer.ATTRIBUTE, viewer)
                        .build())
                // PostgreSQL unreachable: the login is still valid, so the identity stands, marked; the request answers
                // 503 when it asks for its viewer (Viewers). A failed augmentation would end the page session instead
                // (the OIDC code flow removes its cookie on any authentication failure): a database restart would log
                // every member out.
                .onFailure(Unavailable::database).recoverWithItem(failure -> QuarkusSecurityIdentity.builder(identity)
                        .addAttribute(org.roundtable.security.Viewers.UNAVAILABLE, failure)
                        .build());
    }
}
