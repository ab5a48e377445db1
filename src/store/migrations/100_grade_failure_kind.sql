-- What kind of failure the last delivery attempt met (lms_unreachable, line_item_gone ...; see
-- src/lti/ags/failure-kind.ts), so the grade sync page can say it in the reader's language, and
-- whether the outbox stopped retrying after grades.retryForHours. last_error keeps the raw detail.
-- Rows failed before this migration have no kind: the page shows them as "other" with their detail.
alter table grade_outbox add column last_error_kind text;
alter table grade_outbox add column gave_up boolean not null default false;
