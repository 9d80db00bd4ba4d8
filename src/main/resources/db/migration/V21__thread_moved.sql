-- Issue 19, the move dialog: the author of a moved thread is told, with the facilitator's reason. A named author gets
-- a notification; the author of an anonymous thread finds the move computed on their notifications, by recomputing
-- their pseudonyms (NotificationService#anonymousActivity), from the thread's last move kept here: about the thread,
-- naming nobody (docs/security/anonymity.md).
alter table thread add column moved_at timestamptz;
alter table thread add column moved_reason text;
