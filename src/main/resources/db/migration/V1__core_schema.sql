-- Roundtable core schema: the domain of ../shared/DESIGN.md.
-- Flyway owns the schema; Hibernate never generates it.

-- A member is created on first login from the token and kept in step on later logins.
create table member (
    id              bigint generated always as identity primary key,
    subject         text        not null unique,          -- Keycloak "sub"
    username        text        not null,
    name            text        not null,
    email           text,
    title           text,                                  -- e.g. "Principal"
    school          text,
    district        text,
    roles           text[]      not null default '{}',    -- realm roles from the last token
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    suspended_until timestamptz,                           -- 'infinity' = indefinitely
    suspension_reason text
);
create unique index member_username_key on member (lower(username));

create table cohort (
    id             bigint generated always as identity primary key,
    slug           text        not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name           text        not null,
    description    text        not null default '',
    keycloak_group text unique,                            -- membership follows this group when set
    created_at     timestamptz not null default now(),
    archived_at    timestamptz
);

create table cohort_member (
    cohort_id  bigint      not null references cohort (id) on delete cascade,
    member_id  bigint      not null references member (id) on delete cascade,
    role       text        not null default 'member' check (role in ('member', 'facilitator')),
    joined_at  timestamptz not null default now(),
    primary key (cohort_id, member_id)
);
create index cohort_member_member_idx on cohort_member (member_id);

create table channel (
    id                bigint generated always as identity primary key,
    slug              text        not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name              text        not null,
    description       text        not null default '',
    kind              text        not null check (kind in ('network', 'cohort', 'undiscussables')),
    cohort_id         bigint references cohort (id),
    position          int         not null default 0,
    requires_approval boolean     not null default false,
    created_at        timestamptz not null default now(),
    archived_at       timestamptz,
    check (kind <> 'cohort' or cohort_id is not null),
    check (kind <> 'network' or cohort_id is null)
);
create index channel_cohort_idx on channel (cohort_id);

-- A thread: its opening post is post #1 (post.number = 1).
-- Anonymous threads store no member: author_id is null and author_pseudonym holds the HMAC.
create table thread (
    id               bigint generated always as identity primary key,
    channel_id       bigint      not null references channel (id),
    title            text        not null,
    author_id        bigint references member (id),
    author_pseudonym text,
    tags             text[]      not null default '{}',
    created_at       timestamptz not null default now(),
    last_posted_at   timestamptz not null default now(),
    post_count       int         not null default 0,
    accepted_post_id bigint,
    locked_at        timestamptz,
    pinned_at        timestamptz,
    closed_at        timestamptz,
    hidden_at        timestamptz,
    deleted_at       timestamptz,
    check (author_id is null or author_pseudonym is null)
);
-- The channel page: pinned first, then by last activity (keyset pagination on this order).
create index thread_channel_activity_idx on thread (channel_id, ((pinned_at is not null)::int) desc, last_posted_at desc, id desc)
    where deleted_at is null;
create index thread_author_idx on thread (author_id);
create index thread_tags_idx on thread using gin (tags);

create table post (
    id              bigint generated always as identity primary key,
    thread_id       bigint      not null references thread (id),
    number          int         not null,                  -- 1 = the opening post
    reply_to_id     bigint references post (id),
    path            bigint[]    not null,                  -- ids from the first reply down to this post: tree order
    author_id       bigint references member (id),
    pseudonym       text,
    source          text        not null,
    html            text        not null,
    created_at      timestamptz not null default now(),
    edited_at       timestamptz,
    version         int         not null default 1,
    deleted_at      timestamptz,
    hidden_at       timestamptz,
    hidden_reason   text,
    held            boolean     not null default false,    -- awaiting approval before publication
    unique (thread_id, number),
    check (author_id is null or pseudonym is null)
);
create index post_thread_path_idx on post (thread_id, path);
create index post_author_idx on post (author_id);
create index post_reply_to_idx on post (reply_to_id);
alter table thread add constraint thread_accepted_post_fk foreign key (accepted_post_id) references post (id);

-- Double submits are harmless: a composer's key makes one post. The key is stored only as
-- sha256(member id || key); the key itself is never stored, so a dump cannot tie the row to a member.
create table idempotency_key (
    key_hash   bytea       primary key,
    thread_id  bigint      not null references thread (id),
    post_id    bigint      not null references post (id),
    created_at timestamptz not null default date_trunc('hour', now())
);

-- Every edit keeps the text it replaced. An anonymous post's revisions name no member.
create table post_revision (
    id         bigint generated always as identity primary key,
    post_id    bigint      not null references post (id),
    version    int         not null,
    source     text        not null,
    html       text        not null,
    editor_id  bigint references member (id),
    reason     text,
    created_at timestamptz not null default now(),
    unique (post_id, version)
);

-- One reaction of each kind per reactor per post; in the undiscussables the reactor is a pseudonym.
create table reaction (
    post_id    bigint      not null references post (id),
    kind       text        not null check (kind in ('thanks', 'plus-one', 'insightful')),
    member_id  bigint references member (id),
    pseudonym  text,
    created_at timestamptz not null default now(),
    check ((member_id is null) <> (pseudonym is null))
);
create unique index reaction_member_key on reaction (post_id, kind, member_id) where member_id is not null;
create unique index reaction_pseudonym_key on reaction (post_id, kind, pseudonym) where pseudonym is not null;

-- A member's level on a thread, a channel or a tag (Discourse's TopicUser/CategoryUser).
create table follow (
    member_id  bigint      not null references member (id) on delete cascade,
    thread_id  bigint references thread (id) on delete cascade,
    channel_id bigint references channel (id) on delete cascade,
    tag        text,
    level      text        not null check (level in ('muted', 'normal', 'tracking', 'watching')),
    reason     text        not null default 'member_changed',
    updated_at timestamptz not null default now(),
    check (num_nonnulls(thread_id, channel_id, tag) = 1)
);
create unique index follow_thread_key on follow (member_id, thread_id) where thread_id is not null;
create unique index follow_channel_key on follow (member_id, channel_id) where channel_id is not null;
create unique index follow_tag_key on follow (member_id, tag) where tag is not null;

create table flag (
    id          bigint generated always as identity primary key,
    post_id     bigint      not null references post (id),
    flagger_id  bigint      not null references member (id),
    reason      text        not null check (reason in ('off-topic', 'inappropriate', 'spam', 'needs-facilitator', 'other')),
    text        text,
    created_at  timestamptz not null default now(),
    resolved_at timestamptz,
    resolution  text,
    unique (post_id, flagger_id)
);

-- Append-only: who did what to what, and why. Actions on anonymous posts name the pseudonym only.
create table audit_entry (
    id          bigint generated always as identity primary key,
    actor_id    bigint references member (id),
    action      text        not null,
    target_type text        not null,
    target_id   text,
    target_pseudonym text,
    reason      text,
    before      jsonb,
    after       jsonb,
    created_at  timestamptz not null default now()
);
create index audit_entry_created_idx on audit_entry (created_at desc);

create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only';
end $$;
create trigger audit_entry_no_change before update or delete on audit_entry
    for each row execute function audit_entry_append_only();

-- In-app notifications (the page comes with following and digests).
create table notification (
    id         bigint generated always as identity primary key,
    member_id  bigint      not null references member (id) on delete cascade,
    kind       text        not null,
    thread_id  bigint references thread (id),
    post_id    bigint references post (id),
    actor_id   bigint references member (id),
    created_at timestamptz not null default now(),
    read_at    timestamptz
);
create index notification_member_idx on notification (member_id, created_at desc);

-- How far a member has read a thread ("new since your last visit", unread counts).
create table thread_read (
    member_id          bigint      not null references member (id) on delete cascade,
    thread_id          bigint      not null references thread (id) on delete cascade,
    last_read_number   int         not null default 0,
    primary key (member_id, thread_id)
);
