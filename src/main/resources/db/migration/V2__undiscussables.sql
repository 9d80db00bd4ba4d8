-- The undiscussables: moderation without unmasking, and rate limits that name nobody.

-- A facilitator blocks a pseudonym in one thread: the member behind it (unknown to the facilitator) can no longer
-- post there. Only the pseudonym is stored.
create table pseudonym_block (
    thread_id  bigint      not null references thread (id),
    pseudonym  text        not null,
    blocked_by bigint references member (id),
    reason     text,
    created_at timestamptz not null default now(),
    primary key (thread_id, pseudonym)
);

-- Counters for anonymous posting, keyed by HMAC(counter key, member id ‖ window): no member id, no post.
create table anonymous_counter (
    key_hash     bytea       primary key,
    window_start timestamptz not null,
    count        int         not null
);
create index anonymous_counter_window_idx on anonymous_counter (window_start);

-- "Someone replied to your anonymous post" looks up replies by the pseudonym of the post replied to.
create index post_thread_pseudonym_idx on post (thread_id, pseudonym) where pseudonym is not null;
