-- Housekeeping (issue 17): one row per periodic job that must run once across all instances. An instance claims the
-- row (FOR UPDATE SKIP LOCKED, and only when the last run is a period old) in the transaction that does the work, so
-- a run that fails or dies leaves it to the next instance (docs/operations.md, "Housekeeping").
create table housekeeping (
    job         text        primary key,
    last_run_at timestamptz not null default '-infinity',
    last_run_by text
);
insert into housekeeping (job) values ('housekeeping');
