-- statement 1 (other), parameters as the app bound them: {"1": "fdd82177b8e42de372491c2ecb871dd9e24b664287d784731391ca5ed3f4d514"}
select id_token, refresh_token from web_session where id_hash = $1 and expires_at > now();

-- statement 2 (head), parameters as the app bound them: {"1": "f", "2": "f", "3": "1", "4": "c64691cdfbbd33069baa1f13da360eeccc5b4f35a2706e2255a1381c363cf06a", "5": "200"}
select t.id, t.title, t.tags, t.locked_at, t.pinned_at, t.closed_at, t.accepted_post_id, t.post_count, t.author_id, t.author_pseudonym,
	       t.created_at, c.id as channel_id, c.slug, c.name as channel_name, c.kind, c.requires_approval,
	       co.slug as cohort_slug, co.name as cohort_name,
	       (select count(*) from cohort_member cm where cm.cohort_id = c.cohort_id) as cohort_members,
	       case when c.kind = 'undiscussables' then (case when c.cohort_id is null then
	          (select count(*) from member am where am.last_seen_on >= current_date - 30
	             and am.created_at <= now() - make_interval(hours => 72))
	      else (select count(*) from cohort_member cm join member am on am.id = cm.member_id
	            where cm.cohort_id = c.cohort_id and am.last_seen_on >= current_date - 30
	              and cm.joined_at <= now() - make_interval(hours => 72)) end) else 0 end as audience,
	       ($1 or (c.cohort_id is null and $2) or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $3 and cm.role = 'facilitator')) as moderator, (case when t.deleted_at is not null then (case when t.withdrawn then 'withdrawn' else 'deleted' end) when t.hidden_at is not null then 'hidden' end) as removal, coalesce(t.hidden_reason, t.deleted_reason) as removal_reason,
	       coalesce(tr.last_read_number, 0) as last_read,
	       (select s.reason from cohort_silence s where s.cohort_id = c.cohort_id and s.member_id = $3 and s.until > now()) as silenced_reason, (select case when s.until = 'infinity' then null else s.until end from cohort_silence s where s.cohort_id = c.cohort_id and s.member_id = $3 and s.until > now()) as silenced_until,
	       b.thread_id is not null as blocked, b.reason as block_reason
	from thread t
	join channel c on c.id = t.channel_id
	left join cohort co on co.id = c.cohort_id
	left join thread_read tr on tr.thread_id = t.id and tr.member_id = $3
	left join pseudonym_block b on b.thread_id = t.id and b.pseudonym = $4
	where t.id = $5 and ((t.deleted_at is null and t.hidden_at is null) or ($1 or (c.cohort_id is null and $2) or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $3 and cm.role = 'facilitator'))) and (c.archived_at is null and (c.cohort_id is null or $1 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $3)));

-- statement 3 (other), parameters as the app bound them: {"1": "200", "2": "1", "3": "50", "4": "0", "5": "-1", "6": "f", "7": "c64691cdfbbd33069baa1f13da360eeccc5b4f35a2706e2255a1381c363cf06a", "8": "0"}
with branch as (
	    select root, (coalesce(sum(n) over (order by root rows between unbounded preceding and 1 preceding), 0)::bigint / $3)::int as page
	    from (select path[1] as root, count(*) as n from post
	          where thread_id = $1 and number > 1 and (not held or $6 or pseudonym = $7) group by path[1]) x
	)
	select p.id, p.number, p.reply_to_id, cardinality(p.path) as depth, p.author_id, p.pseudonym,
	       p.html, p.created_at, p.edited_at, p.version, p.deleted_at, p.hidden_at, p.held,
	       m.username, m.name, rp.number as reply_to_number, rm.name as reply_to_name, rp.pseudonym as reply_to_pseudonym,
	       coalesce(b.page, -1) as page, (select coalesce(max(page), 0) + 1 from branch) as page_count,
	       (select q.number from post q
	        where q.thread_id = $1 and q.number > $8 and q.number > 1 and q.id <> $5 and (q.deleted_at is null and q.hidden_at is null and not q.held and q.author_id is distinct from $2)
	          and not exists (select 1 from branch sb where sb.root = q.path[1] and sb.page = $4)
	        order by q.number limit 1) as first_unshown,
	       (select t.post_count from thread t where t.id = $1) as post_count_now,
	(select array[count(*) filter (where r.kind = 'thanks')::int, count(*) filter (where r.kind = 'plus-one')::int, count(*) filter (where r.kind = 'insightful')::int] from reaction r where r.post_id = p.id)        as reaction_counts,
	       (select array_agg(r.kind) from reaction r where r.post_id = p.id
	            and (r.member_id = $2 or r.pseudonym = $7)) as my_reactions
	from post p
	left join branch b on b.root = p.path[1]
	left join member m on m.id = p.author_id
	left join post rp on rp.id = p.reply_to_id
	left join member rm on rm.id = rp.author_id
	where p.thread_id = $1 and (not p.held or $6 or p.pseudonym = $7) and (p.number = 1 or b.page = $4 or p.id = $5)
	order by p.number <> 1, p.path;

-- statement 4 (mark), parameters as the app bound them: {"1": "1", "2": "200", "3": "50"}
insert into thread_read (member_id, thread_id, last_read_number) values ($1, $2, $3)
	on conflict (member_id, thread_id) do update
	set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number)
	where thread_read.last_read_number < excluded.last_read_number;

-- statement 5 (other), parameters as the app bound them: {"1": "1", "2": "200", "3": "f"}
select t.title, f.level from thread t join channel c on c.id = t.channel_id
	left join follow f on f.member_id = $1 and f.thread_id = t.id
	where t.id = $2 and (t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $3 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)));

-- statement 6 (other), parameters as the app bound them: {"1": "1", "2": "f"}
select count(*) as n from (
	    select 1 from notification n
	    left join thread t on t.id = n.thread_id left join channel c on c.id = t.channel_id
	    left join post p on p.id = n.post_id
	    where n.member_id = $1 and n.read_at is null and n.created_at <= now() and (n.thread_id is null or ((t.deleted_at is null and t.hidden_at is null) and (c.archived_at is null and (c.cohort_id is null or $2 or exists (select 1 from cohort_member cm where cm.cohort_id = c.cohort_id and cm.member_id = $1)))))
	and (n.post_id is null or n.kind = 'moderation' or (p.deleted_at is null and not p.held and (p.hidden_at is null or p.author_id = $1)))
	    limit 100) x;
