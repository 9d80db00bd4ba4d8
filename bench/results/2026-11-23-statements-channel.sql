-- statement 1 (head), parameters as the app bound them: {"1": "1", "2": "f", "3": "teacher-retention"}
select c.id, c.slug, c.name, c.description, c.kind, co.name as cohort,
	       case when c.kind = 'undiscussables' then (case when c.cohort_id is null then (select count(*) from member)
	      else (select count(*) from cohort_member cm where cm.cohort_id = c.cohort_id) end) else 0 end as audience,
	       count(t.id) as thread_count,
	       count(t.id) filter (where c.kind <> 'undiscussables' and t.post_count > coalesce(tr.last_read_number, 0)
	                               and not (t.id = any(array(select f.thread_id from follow f where f.member_id = $1 and f.thread_id is not null and f.level = 'muted')) or ((t.channel_id = any(array(select f.channel_id from follow f where f.member_id = $1 and f.channel_id is not null and f.level = 'muted')) or coalesce(t.tags && array(select f.tag from follow f where f.member_id = $1 and f.tag is not null and f.level = 'muted'), false)) and not t.id = any(array(select f.thread_id from follow f where f.member_id = $1 and f.thread_id is not null))))) as unread_count,
	       max(t.last_posted_at) as last_activity
	from channel c
	left join cohort co on co.id = c.cohort_id
	left join thread t on t.channel_id = c.id and (t.deleted_at is null and t.hidden_at is null)
	left join thread_read tr on tr.thread_id = t.id and tr.member_id = $1
	where c.slug = $3 and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))
	group by c.id, co.name
	order by c.cohort_id nulls first, c.position, c.name;

-- statement 2 (other), parameters as the app bound them: {"1": "4", "2": "1", "3": null, "4": null, "5": null, "6": "31"}
select t.id, t.title, t.tags, t.post_count, t.accepted_post_id, t.pinned_at, t.locked_at, t.created_at,
	       t.last_posted_at, t.author_id, t.author_pseudonym, m.username, m.name,
	       coalesce(tr.last_read_number, 0) as last_read, (t.id = any(array(select f.thread_id from follow f where f.member_id = $2 and f.thread_id is not null and f.level = 'muted')) or ((t.channel_id = any(array(select f.channel_id from follow f where f.member_id = $2 and f.channel_id is not null and f.level = 'muted')) or coalesce(t.tags && array(select f.tag from follow f where f.member_id = $2 and f.tag is not null and f.level = 'muted'), false)) and not t.id = any(array(select f.thread_id from follow f where f.member_id = $2 and f.thread_id is not null)))) as muted
	from thread t
	left join member m on m.id = t.author_id
	left join thread_read tr on tr.thread_id = t.id and tr.member_id = $2
	where t.channel_id = $1 and (t.deleted_at is null and t.hidden_at is null)
	  and ($3::bigint is null or ((t.pinned_at is not null)::int, t.last_posted_at, t.id) < ($4::int, $5::timestamptz, $3::bigint))
	order by (t.pinned_at is not null)::int desc, t.last_posted_at desc, t.id desc
	limit $6;

-- statement 3 (other), parameters as the app bound them: {"1": "1", "2": "f", "3": "teacher-retention"}
select c.name as title, f.level from channel c
	left join follow f on f.member_id = $1 and f.channel_id = c.id
	where c.slug = $3 and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)));

-- statement 4 (other), parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    where n.member_id = $1 and n.read_at is null and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	    limit 100) x;
