-- A score waits out an LMS outage of up to grades.retryForHours (default 72) instead of a fixed
-- number of attempts: pending_since is when the score now waiting was first queued (a newer score
-- for the same student and line item keeps the older date: the gradebook has been behind since then).
alter table grade_outbox add column pending_since timestamptz;
update grade_outbox set pending_since = created_at where status <> 'sent';
create index grade_outbox_pending on grade_outbox (placement_id, pending_since) where status in ('waiting', 'sending');
