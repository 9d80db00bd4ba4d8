package org.roundtable.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.roundtable.db.Unavailable;
import org.roundtable.member.MemberClaims;
import org.roundtable.member.MemberService;

/**
 * Turns a Keycloak identity (ID token for pages, access token for /api) into a {@link Viewer}: the member row
 * is created on first login and kept in step with the token afterwards.
 */
@ApplicationScoped
public class MemberIdentityAugmentor implements SecurityIdentityAugmentor {

    /** The identity attribute that holds the failure when the member row could not be read (database unavailable). */
    public static final String UNAVAILABLE = "roundtable.database-unavailable";

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
                        .addAttribute(UNAVAILABLE, failure)
                        .build());
    }
}
