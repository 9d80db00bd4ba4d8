-- Facilitator insight, precomputed (issue 16, docs/insights.md "Cost"): the figures of the closed ISO weeks (UTC) that
-- the pages show, so that a page reads 12 rows per channel and scans the current week only.
--
-- One row per closed week. An instance refreshes a week by claiming its row (FOR UPDATE SKIP LOCKED, only when the
-- week was last computed a period ago, roundtable.insight.refresh-every) and replacing the week's figures in the
-- transaction that holds the claim: two instances never compute the same week at once, a refresh that fails or dies
-- leaves the week to the next one, and a page never sees half a week. refreshed_at null: never computed (a page then
-- counts that week from the rows themselves).
create table insight_week (
    week_start   timestamptz primary key,  -- Monday 00:00 UTC
    refreshed_at timestamptz,
    refreshed_by text
);

-- Per channel and week, what members see (nothing removed): threads started, posts (threads included), named
-- reactions. The undiscussables' channels have threads and posts only (reactions 0); a page shows them as "fewer than
-- K" below the crowd threshold, which it applies to these counts when it reads them. Only non-empty weeks have a row.
create table insight_channel_week (
    week_start timestamptz not null references insight_week on delete cascade,
    channel_id bigint      not null references channel on delete cascade,
    threads    int         not null,
    posts      int         not null,
    reactions  int         not null,
    primary key (week_start, channel_id)
);

-- Per scope and week: the network (cohort_id null) and each cohort. Members active (distinct members with a named
-- post or a named reaction outside the undiscussables: never computed per member, never from anonymous posts), and
-- the week's questions (threads outside the undiscussables, not anonymous): asked, answered (a first reply by someone
-- else, not removed, before the refresh), solved, the median time to a first reply in seconds. Only non-empty weeks.
create table insight_scope_week (
    week_start      timestamptz not null references insight_week on delete cascade,
    cohort_id       bigint      references cohort on delete cascade,
    active_members  int         not null,
    questions       int         not null,
    answered        int         not null,
    solved          int         not null,
    median_first_reply_seconds float8
);
create unique index insight_scope_week_key on insight_scope_week (week_start, coalesce(cohort_id, 0));

-- Per channel, week and tag: the threads started (outside the undiscussables, not anonymous), for the top tags.
create table insight_tag_week (
    week_start timestamptz not null references insight_week on delete cascade,
    channel_id bigint      not null references channel on delete cascade,
    tag        text        not null,
    threads    int         not null,
    primary key (week_start, channel_id, tag)
);

-- Per closed week: the questions (as above) that had no first reply when the week was computed, whatever else their
-- state (removed, solved, closed: the page applies those rules when it reads them). A page's "questions without a
-- reply" checks only these of the closed weeks, each again from the rows: a question answered since drops out at once;
-- one whose replies are all removed later comes back with the next refresh. The key to thread checks only (no
-- cascade): the hourly row shuffle deletes and writes thread rows again in one statement (docs/operations.md).
create table insight_unanswered (
    week_start timestamptz not null references insight_week on delete cascade,
    thread_id  bigint      not null references thread,
    primary key (week_start, thread_id)
);
