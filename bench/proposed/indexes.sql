-- Proposed for a new migration (V<next>__read_path_indexes.sql); applied by bench/run only with
-- BENCH_APPLY_SQL=bench/proposed/indexes.sql, to measure what it would change. See docs/benchmarks.md.

-- The thread page counts each post's reactions by kind (ThreadService.THREAD_POSTS, "reactions" subquery:
-- where r.post_id = p.id group by r.kind). The two unique indexes on reaction are partial (member_id /
-- pseudonym is not null), so that predicate can use neither: every post of the page scanned the whole table.
create index reaction_post_kind_idx on reaction (post_id, kind);

-- The channel header (ChannelService.CHANNELS with the slug) counts the channel's visible threads, its unread
-- ones and its last activity: an index-only scan over this index instead of visiting every thread row.
create index thread_channel_counts_idx on thread (channel_id) include (id, post_count, last_posted_at)
    where deleted_at is null and hidden_at is null;
