package org.roundtable.cohort;

import org.roundtable.problem.DomainException;

/**
 * Why an invitation link does not let someone in, said so that they know what to do, and nothing more: a refused link
 * never tells anything about a cohort the person is not in. Nothing is changed by a refused link.
 */
final class InvitationRefused extends DomainException {

    private static final String ASK = " Ask the cohort's facilitator for a new invitation.";

    private InvitationRefused(int status, String title, String detail) {
        super(status, title, detail, null);
    }

    /** Malformed, tampered with, or signed with another key. */
    static InvitationRefused invalid() {
        return new InvitationRefused(400, "This invitation link is not valid",
                "The link is incomplete or was changed. Open it exactly as you received it (copy the whole link)." + ASK);
    }

    /** A genuine token of ours, made for something else. */
    static InvitationRefused notAnInvitation() {
        return new InvitationRefused(400, "This link is not a cohort invitation",
                "The link you opened was made for something else, not for joining a cohort." + ASK);
    }

    static InvitationRefused wrongCohort() {
        return new InvitationRefused(400, "This invitation is for another cohort",
                "The invitation does not belong to the address it was opened at. Open the link exactly as you received it.");
    }

    static InvitationRefused expired() {
        return new InvitationRefused(410, "This invitation has expired",
                "Invitation links work for a limited time, and this one is past it." + ASK);
    }

    static InvitationRefused withdrawn() {
        return new InvitationRefused(410, "This invitation was withdrawn",
                "The cohort's facilitator withdrew this invitation." + ASK);
    }

    static InvitationRefused used() {
        return new InvitationRefused(409, "This invitation has already been used",
                "Each invitation link lets one person in, once, and this one has been used." + ASK);
    }

    static InvitationRefused otherPerson(String detail) {
        return new InvitationRefused(403, "This invitation is for someone else", detail);
    }

    static InvitationRefused closed(String detail) {
        return new InvitationRefused(409, "This cohort takes no new members", detail);
    }
}
