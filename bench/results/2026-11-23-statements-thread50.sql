-- statement 1 (head), parameters as the app bound them: {"1": "200", "2": "1", "3": "f", "4": "f"}
select t.id, t.title, t.tags, t.locked_at, t.pinned_at, t.closed_at, t.accepted_post_id, t.post_count, t.author_id, t.author_pseudonym,
	       t.created_at, c.id as channel_id, c.slug, c.name as channel_name, c.kind, c.requires_approval,
	       case when c.kind = 'undiscussables' then (case when c.cohort_id is null then (select count(*) from member)
	      else (select count(*) from cohort_member cm where cm.cohort_id = c.cohort_id) end) else 0 end as audience,
	       ($3 or (c.cohort_id is null and $4) or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2 and cm.role = 'facilitator')) as moderator,
	       coalesce(tr.last_read_number, 0) as last_read
	from thread t
	join channel c on c.id = t.channel_id
	left join thread_read tr on tr.thread_id = t.id and tr.member_id = $2
	where t.id = $1 and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $2)));

-- statement 2 (other), parameters as the app bound them: {"1": "200", "2": "1", "3": "50", "4": "0", "5": "-1", "6": "f", "7": "18ed2187818927870efd9e44b1d76852993c933f5f26c77241ad67154bf960e9"}
with branch as (
	    select root, (coalesce(sum(n) over (order by root rows between unbounded preceding and 1 preceding), 0)::bigint / $3)::int as page
	    from (select path[1] as root, count(*) as n from post
	          where thread_id = $1 and number > 1 and (not held or $6 or pseudonym = $7) group by path[1]) x
	)
	select p.id, p.number, p.reply_to_id, cardinality(p.path) as depth, p.author_id, p.pseudonym,
	       p.html, p.created_at, p.edited_at, p.version, p.deleted_at, p.hidden_at, p.held,
	       m.username, m.name, rp.number as reply_to_number, rm.name as reply_to_name, rp.pseudonym as reply_to_pseudonym,
	       coalesce(b.page, -1) as page, (select coalesce(max(page), 0) + 1 from branch) as page_count,
	       (select json_object_agg(k.kind, k.n) from (select r.kind, count(*) as n from reaction r
	            where r.post_id = p.id group by r.kind) k) as reactions,
	       (select array_agg(r.kind) from reaction r where r.post_id = p.id
	            and (r.member_id = $2 or r.pseudonym = $7)) as my_reactions
	from post p
	left join branch b on b.root = p.path[1]
	left join member m on m.id = p.author_id
	left join post rp on rp.id = p.reply_to_id
	left join member rm on rm.id = rp.author_id
	where p.thread_id = $1 and (not p.held or $6 or p.pseudonym = $7) and (p.number = 1 or b.page = $4 or p.id = $5)
	order by p.number <> 1, p.path;

-- statement 3 (mark), parameters as the app bound them: {"1": "1", "2": "200", "3": "50"}
insert into thread_read (member_id, thread_id, last_read_number) values ($1, $2, $3)
	on conflict (member_id, thread_id) do update
	set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number)
	where thread_read.last_read_number < excluded.last_read_number;

-- statement 4 (other), parameters as the app bound them: {"1": "1", "2": "f", "3": "200"}
select t.title, f.level from thread t join channel c on c.id = t.channel_id
	left join follow f on f.member_id = $1 and f.thread_id = t.id
	where t.id = $3 and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)));

-- statement 5 (other), parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    where n.member_id = $1 and n.read_at is null and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	    limit 100) x;
