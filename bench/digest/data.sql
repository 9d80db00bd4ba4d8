-- Digest benchmark data (bench/digest/README.md): 10,000 members following 50 items each, 40 channels, 20 cohorts
-- with a channel each, 5,000 threads and 100,000 posts, all in the week before ${WINDOW_END}.
-- Statements are separated by lines holding only ";" so that the runner can send them one by one.
create temporary table bench_param as select timestamptz '${WINDOW_END}' as window_end
;
insert into member (subject, username, name, email, created_at)
select 'bench-' || g, 'bench-' || g, 'Bench member ' || g, 'bench-' || g || '@bench.roundtable.test',
       (select window_end from bench_param) - interval '30 days'
from generate_series(1, 10000) g
;
create temporary table bench_member as
select row_number() over (order by id) as n, id from member where subject like 'bench-%'
;
create index on bench_member (n)
;
insert into cohort (slug, name) select 'bench-cohort-' || g, 'Bench cohort ' || g from generate_series(1, 20) g
;
-- every member of the first 1,000 is in one cohort (50 a cohort)
insert into cohort_member (cohort_id, member_id)
select c.id, bm.id from bench_member bm join cohort c on c.slug = 'bench-cohort-' || (1 + bm.n % 20) where bm.n <= 1000
;
insert into channel (slug, name, kind) select 'bench-' || g, 'Bench channel ' || g, 'network' from generate_series(1, 40) g
;
insert into channel (slug, name, kind, cohort_id) select 'bench-cohort-' || c.id, 'Cohort channel ' || c.id, 'cohort', c.id
from cohort c where c.slug like 'bench-cohort-%'
;
create temporary table bench_channel as
select row_number() over (order by id) as n, id from channel where slug like 'bench-%'
;
-- 5,000 threads over 60 channels (network and cohort), two tags each of 200, active over the week
insert into thread (channel_id, title, author_id, tags, created_at, last_posted_at, post_count)
select bc.id, 'Bench thread ' || g, bm.id, array['bench-tag-' || (g % 200), 'bench-tag-' || ((g * 7 + 3) % 200)],
       p.window_end - interval '7 days' + (g % 5000) * interval '2 minutes',
       p.window_end - interval '1 hour' - (g % 97) * interval '1 minute', 20
from generate_series(1, 5000) g
cross join bench_param p
join bench_channel bc on bc.n = 1 + g % 60
join bench_member bm on bm.n = 1 + (g * 13) % 10000
;
create temporary table bench_thread as
select row_number() over (order by id) as n, id, created_at, author_id from thread where title like 'Bench thread %'
;
-- 20 posts a thread: the opening post and 19 replies spread over the rest of the week, a quarter of them to the opening post
insert into post (thread_id, number, path, author_id, source, html, created_at, reply_to_id)
select bt.id, k, '{}', bm.id,
       'Post ' || k || ' of bench thread ' || bt.n || ': some words about budgets, schedules and staff, long enough to make an excerpt of a realistic size in the digest mail.',
       '<p>Post ' || k || '</p>',
       bt.created_at + (k - 1) * ((p.window_end - interval '1 hour' - bt.created_at) / 20), null
from bench_thread bt cross join generate_series(1, 20) k cross join bench_param p
join bench_member bm on bm.n = 1 + (bt.n * 31 + k * 17) % 10000
;
update post p set path = array[p.number::bigint], reply_to_id = case when p.number % 4 = 0 then o.id end
from bench_thread bt join post o on o.thread_id = bt.id and o.number = 1
where p.thread_id = bt.id and p.number > 1
;
-- 50 follows a member: 40 threads (a fifth watched), 5 channels (one watched), 5 tags (one watched)
insert into follow (member_id, thread_id, level, reason)
select bm.id, bt.id, case when k % 5 = 0 then 'watching' else 'tracking' end, 'member_changed'
from bench_member bm cross join generate_series(1, 40) k
join bench_thread bt on bt.n = 1 + (bm.n * 37 + k * 101) % 5000
on conflict do nothing
;
insert into follow (member_id, channel_id, level, reason)
select bm.id, bc.id, case when k = 1 then 'watching' else 'tracking' end, 'member_changed'
from bench_member bm cross join generate_series(1, 5) k
join bench_channel bc on bc.n = 1 + (bm.n + k * 7) % 40
on conflict do nothing
;
insert into follow (member_id, tag, level, reason)
select bm.id, 'bench-tag-' || ((bm.n * 3 + k * 13) % 200), case when k = 1 then 'watching' else 'tracking' end, 'member_changed'
from bench_member bm cross join generate_series(1, 5) k
on conflict do nothing
;
analyze member
;
analyze thread
;
analyze post
;
analyze follow
;
analyze channel
;
analyze cohort_member
