-- The notifications page's groups (notification/NotificationGroups): replies to a member's posts in one thread, and new
-- posts in one watched thread, read and unread apart, are one item with their count and oldest. The page walks the
-- member's notifications newest first from its cursor (notification_member_idx) and stops at its limit; whether a
-- notification is the newest of its group, and each shown group's count and oldest, are looked up here by member,
-- thread, kind and read state, instead of reading every notification of the member for every page (20,000 rows for a
-- member with 20,000 notifications). read_at was already in an index (notification_unread_idx's predicate), so marking
-- a notification read was not a HOT update before this index either.
create index notification_group_idx on notification (member_id, thread_id, kind, (read_at is null), created_at)
    where kind in ('reply', 'new_post');
