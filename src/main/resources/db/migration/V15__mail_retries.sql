-- Mail retries with backoff and a failed state (issue 18, docs/reliability.md).
--
-- Digests: a send that fails (SMTP unreachable, the mail refused) releases the row at once with a backoff
-- (lease_until = the time of the next try, claimed_by cleared) instead of holding it for the whole lease; after
-- roundtable.mail.max-attempts tries the row is 'failed', with the last error, for an admin to see
-- (GET /api/mail/failures) and send again (POST /api/mail/failures/retry).
alter table digest drop constraint digest_status_check;
alter table digest add constraint digest_status_check check (status in ('pending', 'sent', 'empty', 'failed'));
alter table digest add column last_error text;
create index digest_failed_idx on digest (due_at) where status = 'failed';

-- Mention mails: a notification is mailed when emailed_at is set, in the transaction that sends it (as before). A
-- failed try writes a row here: how many tries, when the next may run, and once the tries are used up, when it failed.
-- No foreign key: the hourly row shuffle rewrites notification rows in place (their ids stay), and a notification
-- removed with its member leaves a row that housekeeping's digest-history sweep ignores and that matches nothing.
create table mention_mail_retry (
    notification_id bigint      primary key,
    attempts        int         not null,
    next_at         timestamptz not null,
    failed_at       timestamptz,
    last_error      text
);
create index mention_mail_retry_failed_idx on mention_mail_retry (failed_at) where failed_at is not null;
