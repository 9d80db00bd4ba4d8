-- The channel header's counts, per member and channel (issue 21; docs/architecture.md, "Channel counts").
--
-- One channel's header counts the threads the viewer has read to the end. It found them through every read marker of
-- the viewer, in every channel, and looked up each marker's thread: a cost that grew with everything a member had ever
-- read (220 markers: ~900 buffer reads per channel page on the benchmark data, two thirds of the page's database
-- work). The marker now carries its thread's channel, so a header reads the viewer's markers in that channel only.
alter table thread_read add column channel_id bigint;

update thread_read tr set channel_id = t.channel_id from thread t where t.id = tr.thread_id;

alter table thread_read alter column channel_id set not null;

-- Kept by the database, whoever writes the marker: set from the thread on every insert (an upsert's insert too), and
-- moved with its thread. Not a foreign key of its own: the thread's row names the channel.
create function thread_read_channel() returns trigger language plpgsql as $$
begin
    new.channel_id := (select t.channel_id from thread t where t.id = new.thread_id);
    return new;
end $$;

create trigger thread_read_channel_on_insert before insert on thread_read for each row
    execute function thread_read_channel();

create function thread_read_follow_move() returns trigger language plpgsql as $$
begin
    update thread_read set channel_id = new.channel_id where thread_id = new.id;
    return null;
end $$;

-- A move (ThreadModeration) changes channel_id. The hourly row shuffle (V8) writes thread rows back as they were, with
-- their channel: like every trigger on its tables, this one stands aside while it runs.
create trigger thread_read_follows_thread after update of channel_id on thread for each row
    when (old.channel_id is distinct from new.channel_id
          and current_setting('roundtable.row_shuffle', true) is distinct from 'on')
    execute function thread_read_follow_move();

create index thread_read_member_channel_idx on thread_read (member_id, channel_id) include (thread_id, last_read_number);

-- What a member muted: the channel page's header and thread list read the member's muted threads, channels and tags
-- on every view. They scanned all of the member's follows (every thread they replied to is tracked: 200 follows, 105
-- buffer reads, four times per channel page on the benchmark data); the muted ones are few.
create index follow_muted_idx on follow (member_id) include (thread_id, channel_id, tag) where level = 'muted';
