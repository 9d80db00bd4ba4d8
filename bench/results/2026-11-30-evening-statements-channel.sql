-- statement 1 (other), parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2 (head), parameters as the app bound them: {"1": "1", "2": "teacher-retention", "3": "f"}
with done as materialized (
	    select t.channel_id, count(*) as n from thread_read tr join thread t on t.id = tr.thread_id
	    where tr.member_id = $1 and tr.channel_id = (select w.id from channel w where w.slug = $2) and (t.deleted_at is null and t.hidden_at is null) and not (coalesce(t.last_shown_number, t.post_count) > tr.last_read_number)
	    group by t.channel_id),
	blank as materialized (
	    select t.channel_id, count(*) as n from thread t
	    where coalesce(t.last_shown_number, t.post_count) = 0 and ((t.deleted_at is null and t.hidden_at is null) and t.channel_id = (select w.id from channel w where w.slug = $2))
	      and not exists (select 1 from thread_read tr where tr.thread_id = t.id and tr.member_id = $1)
	    group by t.channel_id),
	muted_thread as materialized (
	    select t.channel_id, count(*) as n from follow f join thread t on t.id = f.thread_id left join thread_read tr on tr.thread_id = t.id and tr.member_id = $1
	    where f.member_id = $1 and f.thread_id is not null and f.level = 'muted' and ((t.deleted_at is null and t.hidden_at is null) and t.channel_id = (select w.id from channel w where w.slug = $2)) and (coalesce(t.last_shown_number, t.post_count) > coalesce(tr.last_read_number, 0))
	    group by t.channel_id),
	kept as materialized (
	    select t.channel_id, count(*) as n from follow f join thread t on t.id = f.thread_id left join thread_read tr on tr.thread_id = t.id and tr.member_id = $1
	    where f.member_id = $1 and f.thread_id is not null and f.level <> 'muted' and ((t.deleted_at is null and t.hidden_at is null) and t.channel_id = (select w.id from channel w where w.slug = $2)) and (coalesce(t.last_shown_number, t.post_count) > coalesce(tr.last_read_number, 0))
	    group by t.channel_id),
	muted_tag as materialized (
	    select t.channel_id, count(*) as n from thread t left join thread_read tr on tr.thread_id = t.id and tr.member_id = $1
	    where cardinality(array(select f.tag from follow f where f.member_id = $1 and f.tag is not null and f.level = 'muted')) > 0 and t.tags && array(select f.tag from follow f where f.member_id = $1 and f.tag is not null and f.level = 'muted') and ((t.deleted_at is null and t.hidden_at is null) and t.channel_id = (select w.id from channel w where w.slug = $2)) and (coalesce(t.last_shown_number, t.post_count) > coalesce(tr.last_read_number, 0))
	      and not exists (select 1 from follow f where f.member_id = $1 and f.thread_id = t.id)
	    group by t.channel_id)
	select c.id, c.slug, c.name, c.description, c.kind, co.name as cohort, co.slug as cohort_slug,
	       (select count(*) from cohort_member cm where cm.cohort_id = c.cohort_id) as cohort_members,
	       case when c.kind = 'undiscussables' then (case when c.cohort_id is null then
	          (select count(*) from member am where am.last_seen_on >= current_date - 30
	             and am.created_at <= now() - make_interval(hours => 72))
	      else (select count(*) from cohort_member cm join member am on am.id = cm.member_id
	            where cm.cohort_id = c.cohort_id and am.last_seen_on >= current_date - 30
	              and cm.joined_at <= now() - make_interval(hours => 72)) end) else 0 end as audience,
	       case when c.kind = 'undiscussables'
	            then (select count(*) from thread t where t.channel_id = c.id and (t.deleted_at is null and t.hidden_at is null))
	            else c.thread_count end as thread_count,
	       case when c.kind = 'undiscussables' then 0
	            else (case when c.id = any(array(select f.channel_id from follow f where f.member_id = $1 and f.channel_id is not null and f.level = 'muted')) then coalesce((select n from kept where kept.channel_id = c.id), 0) else c.thread_count - coalesce((select n from done where done.channel_id = c.id), 0)
	          - coalesce((select n from blank where blank.channel_id = c.id), 0) - coalesce((select n from muted_thread where muted_thread.channel_id = c.id), 0) - coalesce((select n from muted_tag where muted_tag.channel_id = c.id), 0) end) end as unread_count,
	       greatest((select t.last_posted_at from thread t
	                 where t.channel_id = c.id and (t.pinned_at is not null)::int = 1 and (t.deleted_at is null and t.hidden_at is null)
	                 order by (t.pinned_at is not null)::int desc, t.last_posted_at desc, t.id desc limit 1),
	                (select t.last_posted_at from thread t
	                 where t.channel_id = c.id and (t.pinned_at is not null)::int = 0 and (t.deleted_at is null and t.hidden_at is null)
	                 order by (t.pinned_at is not null)::int desc, t.last_posted_at desc, t.id desc limit 1))
	           as last_activity, (select s.reason from cohort_silence s where s.cohort_id = c.cohort_id and s.member_id = $1 and s.until > now()) as silenced_reason, (select case when s.until = 'infinity' then null else s.until end from cohort_silence s where s.cohort_id = c.cohort_id and s.member_id = $1 and s.until > now()) as silenced_until
	from channel c
	left join cohort co on co.id = c.cohort_id
	where (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1))) and c.slug = $2
	order by c.cohort_id nulls first, c.position, c.name;

-- statement 3 (other), parameters as the app bound them: {"1": "1", "2": "4", "3": "f", "4": "f", "5": null, "6": null, "7": null, "8": "31"}
select t.id, t.title, t.tags, t.post_count, t.accepted_post_id, t.pinned_at, t.locked_at, t.created_at,
	       t.last_posted_at, t.author_id, t.author_pseudonym, m.username, m.name,
	       coalesce(tr.last_read_number, 0) as last_read, coalesce(t.last_shown_number, t.post_count) as shown_number,
	       (case when t.deleted_at is not null then (case when t.withdrawn then 'withdrawn' else 'deleted' end) when t.hidden_at is not null then 'hidden' end) as removal, (t.id = any(array(select f.thread_id from follow f where f.member_id = $1 and f.thread_id is not null and f.level = 'muted')) or ((t.channel_id = any(array(select f.channel_id from follow f where f.member_id = $1 and f.channel_id is not null and f.level = 'muted')) or coalesce(t.tags && array(select f.tag from follow f where f.member_id = $1 and f.tag is not null and f.level = 'muted'), false)) and not t.id = any(array(select f.thread_id from follow f where f.member_id = $1 and f.thread_id is not null)))) as muted
	from thread t
	join channel c on c.id = t.channel_id
	left join member m on m.id = t.author_id
	left join thread_read tr on tr.thread_id = t.id and tr.member_id = $1 and tr.channel_id = $2
	where t.channel_id = $2 and ((t.deleted_at is null and t.hidden_at is null) or ($3 or (c.cohort_id is null and $4) or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1 and cm.role = 'facilitator')))
	  and ($5::bigint is null or ((t.pinned_at is not null)::int, t.last_posted_at, t.id)
	       < ($6::int, $7::timestamptz, $5::bigint))
	order by (t.pinned_at is not null)::int desc, t.last_posted_at desc, t.id desc
	limit $8;

-- statement 4 (other), parameters as the app bound them: {"1": "1", "2": "teacher-retention", "3": "f"}
select c.name as title, f.level from channel c
	left join follow f on f.member_id = $1 and f.channel_id = c.id
	where c.slug = $2 and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)));

-- statement 5 (other), parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
