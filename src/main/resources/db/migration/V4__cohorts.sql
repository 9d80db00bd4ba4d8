-- Cohorts: invitations by signed link (docs/security/model.md, "Cohorts").
--
-- The link itself is a JWT signed with roundtable.tokens.secret (purpose "cohort-invite", the cohort, 14 days);
-- it is never stored. The row holds its jti, so that a link is used once, can be revoked, and can be shown again
-- to the cohort's facilitators (re-signed from the row).
create table cohort_invitation (
    id          bigint generated always as identity primary key,
    cohort_id   bigint      not null references cohort (id) on delete cascade,
    jti         uuid        not null unique,
    email       text,                                           -- invited address (lower case), or
    member_id   bigint references member (id) on delete cascade, -- an invited member; neither: a link for anyone
    invited_by  bigint references member (id) on delete set null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    accepted_at timestamptz,
    accepted_by bigint references member (id) on delete set null,
    revoked_at  timestamptz,
    check (email is null or member_id is null),
    check (email is null or email = lower(email))
);
create index cohort_invitation_pending_idx on cohort_invitation (cohort_id, created_at desc)
    where accepted_at is null and revoked_at is null;

-- Members by cohort and role (the cohort page lists facilitators first).
create index cohort_member_cohort_idx on cohort_member (cohort_id, role);
-- Recent activity across what a member may see (home page, cohort page).
create index thread_activity_idx on thread (last_posted_at desc, id desc) where deleted_at is null;
