-- Following, notifications and email digests (issue 8).

-- Who follows what, looked up from the followed side (fan-out of "new thread in what I watch", digests).
create index follow_thread_idx on follow (thread_id, level) where thread_id is not null;
create index follow_channel_idx on follow (channel_id, level) where channel_id is not null;
create index follow_tag_idx on follow (tag, level) where tag is not null;
-- All levels of the members of a digest batch at once (the per-kind unique indexes are partial).
create index follow_member_idx on follow (member_id);

-- New posts of a thread in a time window (digests), and the threads active in a window.
create index post_thread_created_idx on post (thread_id, created_at);
create index thread_last_posted_idx on thread (last_posted_at);

-- Mention mails are sent once (emailed_at). (Moderation outcomes' sentence, notification.detail, comes with V5.)
alter table notification add column emailed_at timestamptz;
-- Mentions from before this migration are not mailed.
update notification set emailed_at = created_at where kind = 'mention';
create index notification_unread_idx on notification (member_id) where read_at is null;
create index notification_mention_mail_idx on notification (created_at) where kind = 'mention' and emailed_at is null;

-- A member's choices for mail. No row, or a null digest_frequency, means "the network default"
-- (roundtable.digest.default-frequency), so changing the default reaches everyone who never chose.
create table member_preference (
    member_id        bigint      primary key references member (id) on delete cascade,
    digest_frequency text check (digest_frequency in ('off', 'daily', 'weekly')),
    digest_hour      int         not null default 7 check (digest_hour between 0 and 23),
    digest_weekday   int         not null default 1 check (digest_weekday between 1 and 7),   -- ISO: 1 = Monday
    time_zone        text        not null default 'UTC',
    email_on_mention boolean     not null default true,
    updated_at       timestamptz not null default now()
);

-- The latest scheduled send time at or before "now" for a member's choice, in their time zone: today's (or
-- this week's) hour if it has passed, else the one before. Daylight saving: a local hour that does not exist
-- on a given day is taken as PostgreSQL reads it (moved forward), so a day still has exactly one send time.
create function digest_due_at(frequency text, hour int, weekday int, zone text, now timestamptz)
returns timestamptz language sql stable parallel safe as $$
    select case frequency
        when 'daily' then (
            select case when d <= local then d else d - interval '1 day' end at time zone zone
            from (select now at time zone zone as local,
                         date_trunc('day', now at time zone zone) + make_interval(hours => hour) as d) x)
        when 'weekly' then (
            select case when d <= local then d else d - interval '7 days' end at time zone zone
            from (select now at time zone zone as local,
                         date_trunc('day', now at time zone zone)
                           - make_interval(days => ((extract(isodow from now at time zone zone)::int - weekday + 7) % 7))
                           + make_interval(hours => hour) as d) x)
    end
$$;

-- One row per member and period: the work item while pending, the delivery record afterwards. The primary
-- key is the "never twice" guarantee: a period is planned once, and a row leaves 'pending' exactly once, in
-- the transaction that sends its mail (docs/architecture.md, "Digests").
create table digest (
    member_id   bigint      not null references member (id) on delete cascade,
    period_key  text        not null,                 -- e.g. 'weekly:2026-11-23T07:00Z' (the due time, UTC)
    frequency   text        not null check (frequency in ('daily', 'weekly')),
    due_at      timestamptz not null,
    since       timestamptz not null,                 -- the window is [since, due_at), both floored to the hour
    status      text        not null default 'pending' check (status in ('pending', 'sent', 'empty')),
    claimed_by  text,                                 -- the worker holding the lease
    lease_until timestamptz,                          -- after this another worker may take the row over
    attempts    int         not null default 0,
    item_count  int,
    message_id  text,
    created_at  timestamptz not null default now(),
    finished_at timestamptz,
    primary key (member_id, period_key)
);
create index digest_pending_idx on digest (due_at, member_id) where status = 'pending';
create index digest_member_due_idx on digest (member_id, due_at desc);

-- Follow levels in order, for "the strongest of a channel's and a tag's level".
create function follow_rank(level text) returns int language sql immutable parallel safe as $$
    select case level when 'muted' then 0 when 'normal' then 1 when 'tracking' then 2 when 'watching' then 3 end
$$;
