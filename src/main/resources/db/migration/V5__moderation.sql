-- Moderation: flags and the review queue, thread states, silencing, rate limits, and a scoped audit log.

-- A channel may set its own flag threshold (distinct members whose flags hide a post pending review).
alter table channel add column flag_threshold int check (flag_threshold is null or flag_threshold > 0);

-- Which channel an audit entry is about, so that facilitators see the entries of what they moderate.
alter table audit_entry add column channel_id bigint references channel (id);
create index audit_entry_channel_idx on audit_entry (channel_id, created_at desc);
create index audit_entry_action_idx on audit_entry (action, created_at desc);

-- Flags waiting for a decision, by post.
create index flag_open_idx on flag (post_id) where resolved_at is null;
alter table flag add column resolved_by bigint references member (id);

-- Read-only in one cohort, decided by its facilitators.
create table cohort_silence (
    cohort_id   bigint      not null references cohort (id) on delete cascade,
    member_id   bigint      not null references member (id) on delete cascade,
    until       timestamptz not null default 'infinity',
    reason      text        not null,
    silenced_by bigint references member (id),
    created_at  timestamptz not null default now(),
    primary key (cohort_id, member_id)
);

-- Counters of named actions per member and window (posts per minute and day, flags per day, ...).
-- Anonymous posting has keyed counters of its own (anonymous_counter) that name nobody.
create table rate_counter (
    member_id    bigint      not null references member (id) on delete cascade,
    kind         text        not null,
    window_start timestamptz not null,
    count        int         not null,
    primary key (member_id, kind, window_start)
);
create index rate_counter_window_idx on rate_counter (window_start);

-- Moderation outcomes tell flaggers what was decided.
alter table notification add column detail text;
