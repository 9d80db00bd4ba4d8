-- Indexes for the read paths measured by the benchmark (docs/benchmarks.md, "Page load").

-- The thread page counts each post's reactions by kind (ThreadService, the "reactions" subquery:
-- where r.post_id = p.id group by r.kind). Both unique indexes on reaction are partial (member_id /
-- pseudonym is not null), so that predicate could use neither: every post of a page scanned the whole table
-- (13 ms for a page of 50 posts over 7,000 reactions; the default data set has 100 times more).
create index reaction_post_kind_idx on reaction (post_id, kind);

-- The channel header counts the channel's visible threads, its unread ones and its last activity: an
-- index-only scan over this index instead of a visit to every thread row of the channel.
create index thread_channel_counts_idx on thread (channel_id) include (id, post_count, last_posted_at)
    where deleted_at is null and hidden_at is null;
