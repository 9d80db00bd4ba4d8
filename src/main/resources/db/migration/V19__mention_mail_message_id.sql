-- The Message-ID of a mention mail, random and kept with its notification (issue 18, docs/reliability.md "Mail").
--
-- A mention mail is marked sent in the transaction that hands it to the relay. If the instance dies after the relay's
-- 250 and before that commit, the mail is sent again by the next run: SMTP cannot make that exactly once. The resend
-- carries the same Message-ID as the first, so a receiver that folds identical Message-IDs shows it once. The id is
-- random (gen_random_uuid: nothing of the time or order of the notification, security/anonymity.md) and fixed when
-- the notification is written, before any try; the hourly row shuffle copies it with the row.
--
-- Added without a default first, so that the column costs no rewrite of the table; the default then applies to new
-- rows. Mentions that may still be mailed (not yet mailed, of the last day: the mail job's window) get theirs now.
alter table notification add column mail_id uuid;
alter table notification alter column mail_id set default gen_random_uuid();
update notification set mail_id = gen_random_uuid()
where kind = 'mention' and emailed_at is null and mail_id is null and created_at > now() - interval '1 day';
