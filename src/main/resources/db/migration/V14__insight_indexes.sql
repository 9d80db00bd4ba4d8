-- Facilitator insight (docs/insights.md): the figures read the last 13 weeks of posts, reactions and threads by the
-- time they were written. Without these indexes each page read every post of the network. Nothing is precomputed:
-- every figure is read from the rows themselves, so it is right with any number of app instances and needs no job.
create index post_created_idx on post (created_at);
create index reaction_created_idx on reaction (created_at);
create index thread_created_idx on thread (created_at);
