-- The undiscussables against time, digests and counters (issue 14; docs/security/anonymity.md, "Time and order").

-- 1. Ids. Anonymous threads and posts, and the notifications and revisions an anonymous author's acts cause, take
--    random ids in [2^52, 2^53) (anonymity/AnonymousIds): an id from a sequence would lie between the ids of named rows
--    whose times are exact. The sequences of named rows stay below 2^52, so the two never meet; below 2^53 every id is
--    exact in JavaScript. Ids handed out before this migration keep working (and keep their place: see the page).
alter table thread alter column id set maxvalue 4503599627370495;
alter table post alter column id set maxvalue 4503599627370495;
alter table notification alter column id set maxvalue 4503599627370495;
alter table post_revision alter column id set maxvalue 4503599627370495;

-- 2. The reply tree by post numbers, not ids: post.path holds the numbers (conversation order inside the thread) from
--    the top-level reply down to the post. Ordered by ids, an anonymous reply's random id would sort it anywhere.
update post p set path = x.numbers
from (select c.id, array_agg(q.number::bigint order by u.ord) as numbers
      from post c cross join lateral unnest(c.path) with ordinality as u(post_id, ord)
      join post q on q.id = u.post_id
      group by c.id) x
where x.id = p.id;

-- 3. Keyed counters of anonymous posting: one row per counted post, keyed HMAC(counter key, member ‖ purpose ‖ window
--    ‖ slot), not one row per member and window with a count, which split each hour's anonymous posts by author.
truncate anonymous_counter;
alter table anonymous_counter drop column count;

-- 4. The crowd counts people who use Roundtable: the day a member was last seen (the day, nothing finer). Members seen
--    before this migration are dated by what is known of them.
alter table member add column last_seen_on date;
update member m set last_seen_on = greatest(m.created_at, m.updated_at,
        (select max(p.created_at) from post p where p.author_id = m.id),
        (select max(n.read_at) from notification n where n.member_id = m.id),
        (select mp.updated_at from member_preference mp where mp.member_id = m.id))::date;

-- 5. What an anonymous author's acts stored before this migration, coarsened to the hour: reactions under pseudonyms,
--    notifications their posts caused (delivered at the end of the post's hour), the times on their posts.
update reaction set created_at = date_trunc('hour', created_at) where pseudonym is not null;
update notification n set created_at = date_trunc('hour', n.created_at) + interval '1 hour'
from post p join thread t on t.id = p.thread_id
where p.id = n.post_id and n.actor_id is null and n.kind in ('mention', 'reply', 'answer_accepted')
  and (p.pseudonym is not null or (n.kind = 'answer_accepted' and t.author_pseudonym is not null));
update post set hidden_at = date_trunc('hour', hidden_at), edited_at = date_trunc('hour', edited_at),
                deleted_at = date_trunc('hour', deleted_at)
where pseudonym is not null;

-- 6. The order rows are stored in. A dump lists a table's rows in the order they were written, so an anonymous post's
--    row would sit between named rows written a second before and after it. At the end of every hour
--    (anonymity/RowShuffle) the rows written to these tables during the hour are deleted and written again in a random
--    order, in one statement per table. Foreign keys that point at them must therefore not cascade (the delete would
--    take the referencing rows with it): threads are never deleted (deleted_at), so follow and thread_read lose
--    nothing by it. A foreign key that does not cascade is checked at the end of the statement, when the row is back.
--    A trigger on these tables must stand aside while the shuffle runs (it sets roundtable.row_shuffle = 'on' for its
--    transaction; V7's triggers on post test it).
alter table follow drop constraint follow_thread_id_fkey,
    add constraint follow_thread_id_fkey foreign key (thread_id) references thread (id);
alter table thread_read drop constraint thread_read_thread_id_fkey,
    add constraint thread_read_thread_id_fkey foreign key (thread_id) references thread (id);

-- Where the last shuffle ended: rows whose xmin is at or after `horizon` (the oldest transaction still running then)
-- were written since, except those it wrote itself (`shuffled_by`).
create table row_shuffle (
    single      boolean     primary key default true check (single),
    horizon     xid8        not null,
    shuffled_by xid8        not null,
    hour        timestamptz not null
);
insert into row_shuffle (horizon, shuffled_by, hour)
values (pg_snapshot_xmin(pg_current_snapshot()), pg_current_xact_id(), date_trunc('hour', now()));

-- Rewrites the rows of the given tables written since the last shuffle, in a random order (pg_strong_random through
-- gen_random_uuid, not random(), whose state its outputs could give away); returns how many. First it finds them, by a
-- scan of each table that takes no lock writers wait for; then it holds the tables in EXCLUSIVE mode (the caller's
-- lock_timeout bounds the wait) while it deletes and re-inserts exactly those rows: no write waits half-way through a
-- row that is being rewritten (an update would otherwise find the row gone and change nothing), and writes wait only
-- for the rewrite, not for the scans. A row written or changed between the scan and the lock is left for the next run.
create function shuffle_rows_written_since_last(tables regclass[]) returns bigint language plpgsql as $$
declare
    mark row_shuffle;
    me xid8 := pg_current_xact_id();
    -- every transaction that writes after this moment has an id from here on: the next run's horizon
    next_horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
    span bigint;
    last xid;
    t regclass;
    cols text;
    n bigint;
    total bigint := 0;
begin
    -- Triggers on these tables stand aside while rows are written back as they were (they test this setting).
    perform set_config('roundtable.row_shuffle', 'on', true);
    select * into mark from row_shuffle for update;
    -- age(xmin) counts from this transaction's id: a row written at or after the horizon is at most `span` old.
    span := least(me::text::bigint - mark.horizon::text::bigint, 2000000000);
    last := (mark.shuffled_by::text::bigint % 4294967296)::text::xid;
    create temp table shuffle_rows (tbl regclass not null, row_id tid not null) on commit drop;
    foreach t in array tables loop
        execute format('insert into shuffle_rows select %L::regclass, ctid from %s where age(xmin) <= $1 and not xmin = $2', t, t)
            using span::int, last;
    end loop;
    execute 'lock table ' || array_to_string(tables::text[], ', ') || ' in exclusive mode';
    foreach t in array tables loop
        select string_agg(quote_ident(attname), ', ' order by attnum) into cols
        from pg_attribute where attrelid = t and attnum > 0 and not attisdropped and attgenerated = '';
        execute format('with moved as (delete from %s where ctid = any(array(select row_id from shuffle_rows where tbl = %L::regclass)) '
                       'returning %s) insert into %s (%s) overriding system value select %s from moved order by gen_random_uuid()',
                       t, t, cols, t, cols, cols);
        get diagnostics n = row_count;
        total := total + n;
    end loop;
    update row_shuffle set horizon = next_horizon, shuffled_by = me, hour = date_trunc('hour', now());
    return total;
end $$;
