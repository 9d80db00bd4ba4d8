-- Full-text search (issue 15; docs/architecture.md, "Search").
--
-- Words are folded the same way in what is stored, in the query and in the highlighted snippet: the configuration
-- "roundtable" is English (stemming, stop words) with accents folded first (unaccent), so "cafe" finds "café" and the
-- snippet shows "café". unaccent is a trusted extension: the database's owner may create it.
create extension if not exists unaccent;
create text search configuration roundtable (copy = english);
alter text search configuration roundtable
    alter mapping for hword, hword_part, word with unaccent, english_stem;

-- What a post is found by: its thread's title (weight A) on the opening post, and the text of its body (weight B).
-- The body is the stored, sanitized HTML: the parser skips tags, so only the text people see is indexed (the markdown
-- source would index link targets and markup). A title weighs more than a body in the rank (ts_rank: A 1.0, B 0.4).
create function post_search_vector(title text, html text) returns tsvector language sql immutable parallel safe as $$
    select setweight(to_tsvector('roundtable', coalesce(title, '')), 'A') || setweight(to_tsvector('roundtable', html), 'B')
$$;

alter table post add column search_vector tsvector;

-- Kept on write: a new post, and every edit of its text. Not while the hourly row shuffle (V8) writes rows back as they
-- were: it copies the column along with the row.
create function post_search_vector_refresh() returns trigger language plpgsql as $$
begin
    new.search_vector := post_search_vector(
        case when new.number = 1 then (select t.title from thread t where t.id = new.thread_id) end, new.html);
    return new;
end $$;
create trigger post_search_vector_on_write before insert or update of html on post for each row
    when (current_setting('roundtable.row_shuffle', true) is distinct from 'on')
    execute function post_search_vector_refresh();

-- A thread's title is part of its opening post's vector. (No page changes a title today; this keeps the index right
-- when one does.)
create function thread_title_search_refresh() returns trigger language plpgsql as $$
begin
    update post p set search_vector = post_search_vector(new.title, p.html) where p.thread_id = new.id and p.number = 1;
    return null;
end $$;
create trigger thread_title_search_on_update after update of title on thread for each row
    when (current_setting('roundtable.row_shuffle', true) is distinct from 'on' and old.title is distinct from new.title)
    execute function thread_title_search_refresh();

-- The backfill of the posts written before this migration (timed on the benchmark's 1,000,000 posts:
-- docs/benchmarks.md, "Search"), then the index, built once over the filled column.
--
-- The backfill rewrites every post, and the hourly row shuffle (V8, anonymity/RowShuffle) rewrites the rows written
-- since its last run, found by xmin: after a plain UPDATE it would rewrite all of them, holding the tables in EXCLUSIVE
-- mode for minutes (writes wait). So this transaction first does the shuffle's work itself (the rows written since the
-- last run, at most an hour's, in random order), which records this transaction as the last shuffle; the shuffle leaves
-- its own transaction's rows alone, so the UPDATE's rows are not rewritten again. The UPDATE writes the new versions
-- in the order it reads the old ones: it adds nothing to what the order of the rows says.
select shuffle_rows_written_since_last(
    array['thread', 'post', 'post_revision', 'reaction', 'notification', 'idempotency_key', 'anonymous_counter']::regclass[]);
select set_config('roundtable.row_shuffle', '', true);

update post p set search_vector = post_search_vector(case when p.number = 1 then t.title end, p.html)
from thread t where t.id = p.thread_id;

set local maintenance_work_mem = '256MB';
create index post_search_idx on post using gin (search_vector);
