-- The performance-factors weights a unit has fitted from its own answer history (all courses
-- that use it: aggregates, no student's data), used instead of the shared ones once it has enough.
create table pfa_weights (
  unit_id uuid primary key references units(id) on delete cascade,
  model jsonb not null,
  -- Submitted answers of the unit when it was fitted (what the next refit is measured against).
  unit_answers int not null,
  -- Answers and student sequences the fit read (at most the latest PFA_FIT_MAX_ANSWERS).
  answers int not null,
  students int not null,
  fitted_at timestamptz not null default now()
);
