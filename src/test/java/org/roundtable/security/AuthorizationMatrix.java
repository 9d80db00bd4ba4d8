package org.roundtable.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * THE authorization matrix: every route of the app × who asks → the status they get. {@link AuthorizationMatrixTest}
 * checks that every route of the app has a row (a new route without one fails: JAX-RS routes from the compiled classes,
 * the app's own Vert.x routes from the running router), asks every cell against the real stack, and renders the table
 * into docs/security/authorization.md.
 *
 * <p>To add a route: add a row (route as in its {@code @Path}, the data it is asked with — a name from
 * {@link AuthorizationMatrixTest#SCENARIOS}, or "—" — and eight statuses). A route may have several rows, one per
 * kind of data (a cohort thread, a network thread).
 *
 * <p>Who asks (the columns): a guest (no login); a member outside the cohort; a member of the cohort; the cohort's
 * facilitator; the facilitator of another cohort; a network facilitator (realm role, not in the cohort); an admin
 * (realm role, not in the cohort); a suspended member of the cohort.
 */
final class AuthorizationMatrix {

    static final List<String> ROLES = List.of("guest", "outsider", "member", "facilitator", "other facilitator",
            "network facilitator", "admin", "suspended");

    static final String TABLE = """
            | route | with | guest | outsider | member | facilitator | other facilitator | network facilitator | admin | suspended |
            |---|---|---|---|---|---|---|---|---|---|
            | GET / | — | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /login | — | 302 | 303 | 303 | 303 | 303 | 303 | 303 | 303 |
            | GET /me | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /members | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /members/{username} | cohort member | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /search | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /cohorts | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /cohorts | new cohort | 302 | 403 | 403 | 403 | 403 | 403 | 303 | 403 |
            | GET /cohorts/{slug} | cohort | 302 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | POST /cohorts/{slug} | fresh cohort | 302 | 404 | 403 | 403 | 404 | 404 | 303 | 403 |
            | POST /cohorts/{slug}/archive | fresh cohort | 302 | 404 | 403 | 403 | 404 | 404 | 303 | 403 |
            | POST /cohorts/{slug}/facilitators | member to appoint | 302 | 404 | 403 | 403 | 404 | 404 | 303 | 403 |
            | POST /cohorts/{slug}/facilitators | facilitator to dismiss | 302 | 404 | 403 | 403 | 404 | 404 | 303 | 403 |
            | POST /cohorts/{slug}/members/{username}/remove | member to remove | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /cohorts/{slug}/leave | fresh cohort | 302 | 404 | 303 | 303 | 404 | 404 | 409 | 403 |
            | POST /cohorts/{slug}/invitations | link invitation | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /cohorts/{slug}/invitations/{id}/revoke | pending invitation | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /cohorts/{slug}/channels | new cohort channel | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | GET /cohorts/{slug}/join | link to join | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 403 |
            | POST /cohorts/{slug}/join | link to join | 302 | 303 | 303 | 303 | 303 | 303 | 303 | 403 |
            | POST /cohorts/{slug}/join | invitation for another address | 302 | 403 | 403 | 403 | 403 | 403 | 403 | 403 |
            | GET /cohorts/{slug}/insights | cohort | 302 | 404 | 403 | 200 | 404 | 200 | 200 | 403 |
            | GET /cohorts/{slug}/insights/{file} | cohort insight file | 302 | 404 | 403 | 200 | 404 | 200 | 200 | 403 |
            | GET /insights | — | 302 | 403 | 403 | 403 | 403 | 200 | 200 | 403 |
            | GET /insights/{file} | insight file | 302 | 403 | 403 | 403 | 403 | 200 | 200 | 403 |
            | GET /channels | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /channels/{slug} | network channel | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /channels/{slug} | cohort channel | 302 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | GET /channels/{slug}/new | cohort channel | 302 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | POST /channels/{slug}/threads | cohort channel | 302 | 404 | 303 | 303 | 404 | 404 | 303 | 403 |
            | POST /channels/{slug}/approval | cohort undiscussables | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | GET /threads/{id} | network thread | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /threads/{id} | cohort thread | 302 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | GET /threads/{id}/reply | cohort thread | 302 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | GET /threads/{id}/unread | cohort thread | 302 | 404 | 303 | 303 | 404 | 404 | 303 | 303 |
            | POST /threads/{id}/posts | cohort thread | 302 | 404 | 303 | 303 | 404 | 404 | 303 | 403 |
            | POST /threads/{id}/answer | member's thread | 302 | 404 | 303 | 403 | 404 | 404 | 403 | 403 |
            | POST /threads/{id}/state | member's thread | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | GET /threads/{id}/move | member's thread | 302 | 404 | 403 | 200 | 404 | 404 | 200 | 403 |
            | POST /threads/{id}/move | member's thread | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /threads/{id}/removal | thread to hide from its page | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /threads/{id}/unhide | hidden thread | 302 | 404 | 404 | 303 | 404 | 404 | 303 | 403 |
            | POST /threads/{id}/withdraw | member's thread | 302 | 404 | 303 | 403 | 404 | 404 | 403 | 403 |
            | GET /posts/{id} | cohort post | 302 | 404 | 303 | 303 | 404 | 404 | 303 | 303 |
            | GET /posts/{id}/revisions | cohort post | 302 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | GET /posts/{id}/edit | member's post | 302 | 404 | 200 | 403 | 404 | 404 | 403 | 403 |
            | POST /posts/{id}/edit | member's post | 302 | 404 | 303 | 403 | 404 | 404 | 403 | 403 |
            | POST /posts/{id}/delete | member's post | 302 | 404 | 303 | 403 | 404 | 404 | 403 | 403 |
            | POST /posts/{id}/reactions/{kind} | facilitator's post | 302 | 404 | 303 | 409 | 404 | 404 | 303 | 403 |
            | GET /posts/{id}/flag | member's post | 302 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | POST /posts/{id}/flag | member's post | 302 | 404 | 409 | 303 | 404 | 404 | 303 | 403 |
            | POST /posts/{id}/hide | member's post | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /posts/{id}/unhide | member's post | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /posts/{id}/approve | held anonymous post | 302 | 404 | 404 | 303 | 404 | 404 | 303 | 404 |
            | POST /posts/{id}/block-author | anonymous post | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | GET /review | — | 302 | 403 | 403 | 200 | 200 | 200 | 200 | 403 |
            | POST /review/{postId}/decision | member's post | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | GET /audit | — | 302 | 403 | 403 | 200 | 200 | 200 | 200 | 403 |
            | POST /members/{username}/suspension | member to suspend | 302 | 403 | 403 | 403 | 403 | 403 | 303 | 403 |
            | POST /members/{username}/unsuspend | member to suspend | 302 | 403 | 403 | 403 | 403 | 403 | 303 | 403 |
            | POST /members/{username}/silence | member to silence | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | POST /members/{username}/silence/{cohort}/lift | member to silence | 302 | 404 | 403 | 303 | 404 | 404 | 303 | 403 |
            | GET /api/me | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/members | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/search | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/members/{username} | cohort member | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/notifications | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /api/preview | markdown | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/channels | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/channels/{slug}/threads | network channel | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/channels/{slug}/threads | cohort channel | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | POST /api/channels/{slug}/threads | network channel | 401 | 201 | 201 | 201 | 201 | 201 | 201 | 403 |
            | POST /api/channels/{slug}/threads | cohort channel | 401 | 404 | 201 | 201 | 404 | 404 | 201 | 403 |
            | PUT /api/channels/{slug}/approval | cohort undiscussables | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/channels/{slug}/approval | cohort undiscussables | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | GET /api/threads/{id} | network thread | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/threads/{id} | cohort thread | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | POST /api/threads/{id}/posts | cohort thread | 401 | 404 | 201 | 201 | 404 | 404 | 201 | 403 |
            | PUT /api/threads/{id}/answer | member's thread | 401 | 404 | 200 | 403 | 404 | 404 | 403 | 403 |
            | DELETE /api/threads/{id}/answer | member's thread | 401 | 404 | 200 | 403 | 404 | 404 | 403 | 403 |
            | GET /api/posts/{id} | cohort post | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | PATCH /api/posts/{id} | member's post | 401 | 404 | 200 | 403 | 404 | 404 | 403 | 403 |
            | DELETE /api/posts/{id} | member's post | 401 | 404 | 204 | 403 | 404 | 404 | 403 | 403 |
            | GET /api/posts/{id}/revisions | cohort post | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | PUT /api/posts/{id}/reactions/{kind} | facilitator's post | 401 | 404 | 200 | 409 | 404 | 404 | 200 | 403 |
            | DELETE /api/posts/{id}/reactions/{kind} | facilitator's post | 401 | 404 | 200 | 409 | 404 | 404 | 200 | 403 |
            | PUT /api/posts/{id}/hidden | member's post | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | PUT /api/posts/{id}/hidden | network post | 401 | 403 | 403 | 403 | 403 | 204 | 204 | 403 |
            | DELETE /api/posts/{id}/hidden | member's post | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | POST /api/posts/{id}/approval | held anonymous post | 401 | 404 | 404 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/posts/{id}/approval | held anonymous post | 401 | 404 | 404 | 204 | 404 | 404 | 204 | 403 |
            | PUT /api/posts/{id}/author-block | anonymous post | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | GET /api/review-queue/held | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/review-queue | — | 401 | 403 | 403 | 200 | 200 | 200 | 200 | 403 |
            | POST /api/review-queue/{itemId}/decision | member's post | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | POST /api/posts/{id}/flags | member's post | 401 | 404 | 409 | 201 | 404 | 404 | 201 | 403 |
            | PUT /api/threads/{id}/lock | member's thread | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/threads/{id}/lock | member's thread | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | PUT /api/threads/{id}/pin | member's thread | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/threads/{id}/pin | member's thread | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | PUT /api/threads/{id}/closed | member's thread | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/threads/{id}/closed | member's thread | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | POST /api/threads/{id}/move | member's thread | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | PUT /api/threads/{id}/hidden | thread to remove | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | PUT /api/threads/{id}/hidden | network thread to remove | 401 | 403 | 403 | 403 | 403 | 204 | 204 | 403 |
            | DELETE /api/threads/{id}/hidden | hidden thread | 401 | 404 | 404 | 204 | 404 | 404 | 204 | 403 |
            | PUT /api/threads/{id}/deleted | thread to remove | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/threads/{id} | member's thread | 401 | 404 | 204 | 403 | 404 | 404 | 403 | 403 |
            | GET /api/audit | — | 401 | 403 | 403 | 200 | 200 | 200 | 200 | 403 |
            | PUT /api/members/{id}/suspension | member to suspend | 401 | 403 | 403 | 403 | 403 | 403 | 204 | 403 |
            | DELETE /api/members/{id}/suspension | member to suspend | 401 | 403 | 403 | 403 | 403 | 403 | 204 | 403 |
            | GET /api/mail/failures | — | 401 | 403 | 403 | 403 | 403 | 403 | 200 | 403 |
            | POST /api/mail/failures/retry | — | 401 | 403 | 403 | 403 | 403 | 403 | 200 | 403 |
            | PUT /api/members/{id}/silence | member to silence | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/members/{id}/silence/{cohort} | member to silence | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | GET /api/cohorts | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /api/cohorts | new cohort | 401 | 403 | 403 | 403 | 403 | 403 | 201 | 403 |
            | GET /api/cohorts/{slug} | cohort | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | PATCH /api/cohorts/{slug} | fresh cohort | 401 | 404 | 403 | 403 | 404 | 404 | 200 | 403 |
            | PUT /api/cohorts/{slug}/archived | fresh cohort | 401 | 404 | 403 | 403 | 404 | 404 | 204 | 403 |
            | DELETE /api/cohorts/{slug}/archived | fresh cohort | 401 | 404 | 403 | 403 | 404 | 404 | 204 | 403 |
            | PUT /api/cohorts/{slug}/facilitators/{username} | member to appoint | 401 | 404 | 403 | 403 | 404 | 404 | 204 | 403 |
            | DELETE /api/cohorts/{slug}/facilitators/{username} | facilitator to dismiss | 401 | 404 | 403 | 403 | 404 | 404 | 204 | 403 |
            | DELETE /api/cohorts/{slug}/members/{username} | member to remove | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | DELETE /api/cohorts/{slug}/membership | fresh cohort | 401 | 404 | 204 | 204 | 404 | 404 | 409 | 403 |
            | GET /api/cohorts/{slug}/invitations | cohort | 401 | 404 | 403 | 200 | 404 | 404 | 200 | 403 |
            | POST /api/cohorts/{slug}/invitations | link invitation | 401 | 404 | 403 | 201 | 404 | 404 | 201 | 403 |
            | DELETE /api/cohorts/{slug}/invitations/{id} | pending invitation | 401 | 404 | 403 | 204 | 404 | 404 | 204 | 403 |
            | POST /api/cohorts/{slug}/invitations/accept | link to join | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 403 |
            | POST /api/cohorts/{slug}/invitations/accept | invitation for another address | 401 | 403 | 403 | 403 | 403 | 403 | 403 | 403 |
            | POST /api/cohorts/{slug}/invitations/accept | link to another cohort | 401 | 400 | 400 | 400 | 400 | 400 | 400 | 403 |
            | POST /api/cohorts/{slug}/channels | new cohort channel | 401 | 404 | 403 | 201 | 404 | 404 | 201 | 403 |
            | GET /api/cohorts/{slug}/insights | cohort | 401 | 404 | 403 | 200 | 404 | 200 | 200 | 403 |
            | GET /api/insights | — | 401 | 403 | 403 | 403 | 403 | 200 | 200 | 403 |
            | GET /api/follows | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /api/threads/{id}/follow | cohort thread | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | PUT /api/threads/{id}/follow | followed cohort thread | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 403 |
            | GET /api/channels/{slug}/follow | cohort channel | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 200 |
            | PUT /api/channels/{slug}/follow | followed cohort channel | 401 | 404 | 200 | 200 | 404 | 404 | 200 | 403 |
            | GET /api/tags/{tag}/follow | tag | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | PUT /api/tags/{tag}/follow | followed tag | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 403 |
            | GET /api/preferences | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | PUT /api/preferences | digest preferences | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /api/notifications/read | — | 401 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /notifications | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /notifications/{id}/open | a notification | 302 | 303 | 303 | 303 | 303 | 303 | 303 | 303 |
            | POST /notifications/read | — | 302 | 303 | 303 | 303 | 303 | 303 | 303 | 303 |
            | GET /preferences | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /preferences | digest preferences | 302 | 303 | 303 | 303 | 303 | 303 | 303 | 303 |
            | GET /tags/{tag} | tag | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /tags/{tag}/follow | followed tag | 302 | 303 | 303 | 303 | 303 | 303 | 303 | 403 |
            | POST /threads/{id}/follow | followed cohort thread | 302 | 404 | 303 | 303 | 404 | 404 | 303 | 403 |
            | POST /channels/{slug}/follow | followed cohort channel | 302 | 404 | 303 | 303 | 404 | 404 | 303 | 403 |
            | GET /following | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /tags | — | 302 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /digest/unsubscribe | unsubscribe link | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /digest/unsubscribe | unsubscribe link | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /digest/unsubscribe | broken unsubscribe link | 400 | 400 | 400 | 400 | 400 | 400 | 400 | 400 |
            | POST /digest/unsubscribe | broken unsubscribe link | 400 | 400 | 400 | 400 | 400 | 400 | 400 | 400 |
            | GET /mentions/unsubscribe | mention unsubscribe link | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | POST /mentions/unsubscribe | mention unsubscribe link | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 200 |
            | GET /mentions/unsubscribe | unsubscribe link | 400 | 400 | 400 | 400 | 400 | 400 | 400 | 400 |
            | POST /mentions/unsubscribe | unsubscribe link | 400 | 400 | 400 | 400 | 400 | 400 | 400 | 400 |
            """;

    /** One row: a route asked with some data, and the status each role gets. */
    record Row(String method, String path, String with, Map<String, Integer> expected) {

        String route() {
            return method + " " + path;
        }

        /** The route with its parameters unnamed, as routes found in the code are compared. */
        String key() {
            return method + " " + normalize(path);
        }
    }

    static String normalize(String path) {
        String p = ("/" + path).replaceAll("/+", "/").replaceAll("\\{[^}]*}", "{}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        List<String> lines = TABLE.lines().map(String::strip).filter(l -> l.startsWith("|")).toList();
        List<String> header = cells(lines.get(0));
        if (!header.subList(2, header.size()).equals(ROLES)) {
            throw new IllegalStateException("The matrix's columns must be: route, with, " + ROLES);
        }
        for (String line : lines.subList(2, lines.size())) {
            List<String> cells = cells(line);
            if (cells.size() != 2 + ROLES.size()) {
                throw new IllegalStateException("A row of the matrix needs " + (2 + ROLES.size()) + " cells: " + line);
            }
            String[] route = cells.get(0).split("\\s+", 2);
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (int i = 0; i < ROLES.size(); i++) {
                expected.put(ROLES.get(i), Integer.parseInt(cells.get(2 + i)));
            }
            rows.add(new Row(route[0], route[1], cells.get(1), expected));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.lastIndexOf('|'));
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    /** docs/security/authorization.md: the table, what its columns and data mean, what the statuses say. */
    static String document(Map<String, String> scenarios) {
        StringBuilder doc = new StringBuilder();
        doc.append("""
                # Authorization matrix

                Every route of Roundtable × who asks → the HTTP status they get. This page is generated from the one
                table in `src/test/java/org/roundtable/security/AuthorizationMatrix.java`;
                `AuthorizationMatrixTest` asks every cell against the real stack (PostgreSQL, Keycloak, the app),
                fails when a route of the app has no row, and rewrites this page when it differs from the table.
                Do not edit it by hand.

                ## Who asks

                | column | who |
                |---|---|
                | guest | nobody logged in (pages: redirected to the Keycloak login; API: no bearer token; a signed link needs no login) |
                | outsider | a member who is not in the cohort |
                | member | a member of the cohort |
                | facilitator | the cohort's facilitator (`cohort_member.role = 'facilitator'`, realm role `member` only) |
                | other facilitator | the facilitator of another cohort, not in this one |
                | network facilitator | realm role `facilitator`, not in the cohort |
                | admin | realm role `admin`, not in the cohort |
                | suspended | a member of the cohort whose account is suspended |

                ## What the statuses say

                | status | meaning |
                |---|---|
                | 200, 201, 204 | done (read, created, changed) |
                | 302 | a page asked by a guest: redirected to the login (pages need one) |
                | 303 | a form was handled: see the page it points to |
                | 400 | the request (here: the invitation link) is not valid for this address |
                | 401 | an API request without a valid bearer token |
                | 403 | the asker may see this, and may not do it (or is suspended: no writing of any kind) |
                | 404 | does not exist, or exists and the asker may not see it: the two answer the same |
                | 409 | conflicts with the state (not a member to leave; reacting to or flagging one's own post) |

                ## The matrix

                """);
        doc.append(TABLE.strip()).append("\n\n## The data each row is asked with\n\n| with | data |\n|---|---|\n");
        doc.append("| — | none (the route takes no parameter, or a fixed one) |\n");
        scenarios.forEach((name, description) -> doc.append("| ").append(name).append(" | ").append(description).append(" |\n"));
        return doc.toString();
    }
}
