-- Kept counters for the channel header (issue 21; docs/architecture.md, "Channel counts").
--
-- Every channel header and the channel list showed how many threads a channel holds, counted over all its threads on
-- every view (5.6 ms of PostgreSQL per channel page on the benchmark data, docs/benchmarks.md). The count now lives on
-- the channel row and is kept by a trigger on thread, in the same transaction as the change it counts: it stays exact
-- under concurrent writes and with several app instances (the increments are row-locked updates, not read-then-write).
--
-- What it counts: the channel's threads that are not removed (Guardian.visibleThread: deleted_at and hidden_at null),
-- named threads only. Anonymous threads (author_pseudonym set) are not counted here and the undiscussables are counted
-- live, as before: an anonymous act writes no row outside the tables the hourly row shuffle rewrites
-- (security/anonymity.md, "Time and order"), and a channel row updated at the moment of an anonymous thread would place
-- that thread among named ones by the order of the rows in a dump.
alter table channel add column thread_count integer not null default 0 check (thread_count >= 0);

create function channel_thread_count_keep() returns trigger language plpgsql as $$
declare
    was_counted boolean := tg_op <> 'INSERT' and old.author_pseudonym is null
        and old.deleted_at is null and old.hidden_at is null;
    is_counted boolean := tg_op <> 'DELETE' and new.author_pseudonym is null
        and new.deleted_at is null and new.hidden_at is null;
begin
    if was_counted and is_counted and old.channel_id = new.channel_id then
        return null;
    end if;
    -- one statement for both rows of a move, locked in the order of their ids
    update channel c set thread_count = c.thread_count
            - (case when was_counted and c.id = old.channel_id then 1 else 0 end)
            + (case when is_counted and c.id = new.channel_id then 1 else 0 end)
    where c.id in (case when was_counted then old.channel_id end, case when is_counted then new.channel_id end);
    return null;
end $$;

-- Not while the hourly row shuffle (V8) writes rows back as they were: the counts do not change.
create trigger thread_counted_on_insert after insert on thread for each row
    when (current_setting('roundtable.row_shuffle', true) is distinct from 'on')
    execute function channel_thread_count_keep();
create trigger thread_counted_on_update after update of channel_id, deleted_at, hidden_at, author_pseudonym on thread
    for each row
    when (current_setting('roundtable.row_shuffle', true) is distinct from 'on')
    execute function channel_thread_count_keep();
create trigger thread_counted_on_delete after delete on thread for each row
    when (current_setting('roundtable.row_shuffle', true) is distinct from 'on')
    execute function channel_thread_count_keep();

update channel c set thread_count = (select count(*) from thread t where t.channel_id = c.id and t.author_pseudonym is null
                                     and t.deleted_at is null and t.hidden_at is null);

-- The few visible threads with nothing shown (every post removed or held): a thread never opened counts as unread only
-- when it shows something, and the unread count subtracts these from the kept count (ChannelService).
create index thread_blank_idx on thread (channel_id)
    where coalesce(last_shown_number, post_count) = 0 and deleted_at is null and hidden_at is null;
