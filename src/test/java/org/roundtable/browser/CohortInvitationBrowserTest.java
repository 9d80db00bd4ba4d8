package org.roundtable.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.roundtable.support.Browser;
import org.roundtable.support.Sessions;
import org.roundtable.support.LocalStackResource;
import org.roundtable.support.TestData;

/** A facilitator invites a member through the cohort page; the member opens the link, logs in and joins. */
@QuarkusTest
class CohortInvitationBrowserTest {

    /** The run's one chromium (support/Sessions): each page opens in a fresh profile of its own. */
    private final Browser browser = Sessions.browser();

    @Inject
    Pool pool;

    @Test
    void shouldInviteAMemberWhoLogsInFromTheLinkAndJoins() {
        String facilitator = TestData.member("bfac");
        String invitee = TestData.member("binv");
        String cohort = TestData.cohort(pool, facilitator);
        Page inviting = browser.newPage();
        Page joining = browser.newPage();
        try {
            Browser.logIn(inviting, "/cohorts/" + cohort, facilitator);
            inviting.locator("#invite-username").fill(invitee);
            inviting.locator("form.invite button[type=submit]").click();
            inviting.waitForURL(url -> url.contains("invited="));
            String link = inviting.locator(".invitation-list li.just-made input.invitation-link").inputValue();
            assertThat(link).startsWith(Browser.appUrl() + "/cohorts/" + cohort + "/join?token=");
            // one click copies it (the script adds the button; without it the field is there to copy by hand)
            inviting.context().grantPermissions(java.util.List.of("clipboard-read", "clipboard-write"));
            inviting.locator(".invitation-list li.just-made button.copy-link").click();
            assertThat(inviting.locator(".invitation-list li.just-made .copy-status")).hasText("Copied");
            assertThat((String) inviting.evaluate("() => navigator.clipboard.readText()")).isEqualTo(link);

            // The invitee is not logged in: Keycloak first, then back to the invitation.
            joining.navigate(link);
            assertThat(joining.url()).startsWith(LocalStackResource.keycloakUrl() + "/realms/roundtable/");
            joining.locator("#username").fill(invitee);
            joining.locator("#password").fill(org.roundtable.support.Keycloak.PASSWORD);
            joining.locator("#kc-login").click();
            joining.waitForURL(url -> url.contains("/cohorts/" + cohort + "/join"));
            assertThat(joining.locator("h1")).hasText("Join Cohort " + cohort);
            joining.locator("form button[type=submit]").click();
            joining.waitForURL(Browser.appUrl() + "/cohorts/" + cohort);
            assertThat(joining.locator(".members li[data-username='" + invitee + "']")).isVisible();

            // The same link a second time: a clear page, not the cohort.
            joining.navigate(link);
            assertThat(joining.locator("h1")).hasText("You are a member of Cohort " + cohort);
        } catch (RuntimeException | AssertionError e) {
            Browser.screenshot(inviting, "cohort-invite-facilitator");
            Browser.screenshot(joining, "cohort-invite-invitee");
            throw e;
        } finally {
            inviting.context().close();
            joining.context().close();
        }
    }
}
