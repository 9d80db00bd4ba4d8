-- What is removed leaves everything (issue 13, section 6): whole threads can be hidden, deleted or withdrawn, unread
-- counts and "new" marks pass over removed posts, and a facilitator's edit names its editor.

-- A facilitator hides a thread (with a reason) or deletes it (with a reason); its author withdraws it (deleted_at set,
-- withdrawn true). Its title then leaves every list, count, digest and notification; moderators see it marked.
alter table thread add column hidden_reason text;
alter table thread add column deleted_reason text;
alter table thread add column withdrawn boolean not null default false;

-- The number of the thread's last post that members see (not deleted, hidden or held), or null when that is its last
-- post (post_count): unread counts compare it, not post_count, with a member's read marker, so a removed post never
-- makes a thread "new". Null is the common case, so that a new post only has to clear it (ThreadService.insertReply);
-- the trigger below keeps it right whenever a post is removed or comes back, whatever code changes the post.
alter table thread add column last_shown_number int;

create function thread_last_shown_refresh() returns trigger language plpgsql as $$
begin
    update thread t
    set last_shown_number = nullif(coalesce((select max(p.number) from post p
                                             where p.thread_id = t.id and p.deleted_at is null and p.hidden_at is null
                                               and not p.held), 0), t.post_count)
    where t.id = new.thread_id;
    return null;
end $$;

-- A post written removed (held for approval), or whose removal changes (deleted, hidden, unhidden, approved, rejected).
-- Not while the hourly row shuffle (V8, anonymity/RowShuffle) writes rows back as they were: it sets
-- roundtable.row_shuffle for its transaction, and what it writes back changes nothing the trigger keeps.
create trigger post_removed_on_insert after insert on post for each row
    when (current_setting('roundtable.row_shuffle', true) is distinct from 'on'
          and (new.held or new.deleted_at is not null or new.hidden_at is not null))
    execute function thread_last_shown_refresh();
create trigger post_removed_on_update after update of deleted_at, hidden_at, held on post for each row
    when (current_setting('roundtable.row_shuffle', true) is distinct from 'on'
          and ((old.deleted_at is null and old.hidden_at is null and not old.held)
               is distinct from (new.deleted_at is null and new.hidden_at is null and not new.held)))
    execute function thread_last_shown_refresh();

update thread t set last_shown_number = nullif(x.n, t.post_count)
from (select p.thread_id,
             coalesce(max(p.number) filter (where p.deleted_at is null and p.hidden_at is null and not p.held), 0) as n
      from post p
      where p.thread_id in (select thread_id from post where deleted_at is not null or hidden_at is not null or held)
      group by p.thread_id) x
where x.thread_id = t.id;

-- Who wrote a post's current text when it was not its author (a facilitator's edit from the review queue); null: its
-- author. An edit stores the text it replaces with this editor (post_revision.editor_id), so the history names who
-- wrote each version. Anonymous posts are never edited by facilitators, so this never names anyone next to one.
alter table post add column editor_id bigint references member (id);

-- The channel header's counts read the shown number too (index-only scan, as in V6).
drop index thread_channel_counts_idx;
create index thread_channel_counts_idx on thread (channel_id) include (id, post_count, last_shown_number, last_posted_at)
    where deleted_at is null and hidden_at is null;

-- Lists show moderators the removed threads of the channels they moderate (marked), so the indexes the lists walk hold
-- every thread; members' lists filter the few removed ones out.
drop index thread_channel_activity_idx;
create index thread_channel_activity_idx on thread (channel_id, ((pinned_at is not null)::int) desc, last_posted_at desc, id desc);
drop index thread_activity_idx;
create index thread_activity_idx on thread (last_posted_at desc, id desc);
