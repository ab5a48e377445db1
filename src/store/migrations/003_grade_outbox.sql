-- The durable grade outbox (AGS). A score is written here in the same transaction as the
-- mastery change that caused it; a worker delivers it. Only the newest score per placement
-- (line item) and student is kept.
create table grade_outbox (
  id uuid primary key,
  placement_id uuid not null references placements(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  score_given double precision not null,
  score_maximum double precision not null,
  activity_progress text not null,
  grading_progress text not null,
  comment text,
  score_timestamp timestamptz not null,
  status text not null default 'waiting' check (status in ('waiting', 'sending', 'sent', 'failed')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (placement_id, user_id)
);
create index grade_outbox_due on grade_outbox (next_attempt_at) where status = 'waiting';
