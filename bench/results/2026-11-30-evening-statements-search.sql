-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "zeppelin", "2": "1", "3": "f", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "\"lunch duty\"", "2": "1", "3": "f", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "overthinking", "2": "1", "3": "f", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "burnout", "2": "1", "3": "f", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "students teachers", "2": "1", "3": "f", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "budget", "2": "1", "3": "f", "4": "{budget}", "5": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	      and t.tags @> $4::text[]
	    order by p.created_at desc, p.id desc
	    limit $5::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $5::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "coaching", "2": "1", "3": "f", "4": "teacher-retention", "5": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	      and c.slug = $4::text
	    order by p.created_at desc, p.id desc
	    limit $5::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $5::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "retention", "2": "1", "3": "f", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	      and t.accepted_post_id is not null
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, ts_rank(p.search_vector, websearch_to_tsquery('roundtable', $1::text), 32)::float8 + extract(epoch from p.created_at)::float8 / 63115200 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "1", "2": "f", "3": "priya.smith0", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))
	      and p.author_id = (select am.id from member am where lower(am.username) = lower($3::text))
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, extract(epoch from p.created_at)::float8 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, 'roundtable_none'::tsquery, 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), 'roundtable_none'::tsquery, 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
-- statement 1, parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2, parameters as the app bound them: {"1": "2000ms"}
select set_config('statement_timeout', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true);

-- statement 3, parameters as the app bound them: {"1": "morale -union", "2": "1", "3": "f", "4": "1000"}
with candidates as (
	    select p.id, p.thread_id, p.number, p.created_at, p.search_vector
	    from post p
	    join thread t on t.id = p.thread_id
	    join channel c on c.id = t.channel_id
	    where p.search_vector @@ websearch_to_tsquery('roundtable', $1::text)
	      and p.deleted_at is null and p.hidden_at is null and not p.held and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)))
	    order by p.created_at desc, p.id desc
	    limit $4::int
	), hits as (
	    select p.id, p.thread_id, p.number, extract(epoch from p.created_at)::float8 as sort
	    from candidates p
	), best as (
	    select distinct on (h.thread_id) h.id, h.thread_id, h.sort
	    from hits h
	    order by h.thread_id, h.sort desc, h.number
	), found as (
	    select h.* from best h
	    
	    order by h.sort desc, h.thread_id desc
	    limit 21
	)
	select f.sort, t.id as thread_id, t.title, t.tags, t.accepted_post_id, t.locked_at,
	       c.slug as channel_slug, c.name as channel_name, co.slug as cohort_slug, co.name as cohort_name,
	       p.id as post_id, p.number, p.created_at, p.author_id, p.pseudonym, m.username, m.name,
	       ts_headline('roundtable', p.html, websearch_to_tsquery('roundtable', $1::text), 'StartSel=, StopSel=, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "') as snippet, ts_headline('roundtable', replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), websearch_to_tsquery('roundtable', $1::text), 'HighlightAll=true, StartSel=, StopSel=') as title_headline,
	       (select count(*) from candidates) >= $4::int as newest_only
	from found f
	join post p on p.id = f.id
	join thread t on t.id = f.thread_id
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join member m on m.id = p.author_id
	order by f.sort desc, f.thread_id desc;

-- statement 4, parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
