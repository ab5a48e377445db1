-- The learning engine: units (a JSONB document each), attempts with their drawn items and
-- responses, mastery (current + history), teacher overrides (audited), waivers, fitted BKT
-- parameters, learner profiles, goals, reflections and pathway choices.

create table units (
  id uuid primary key,
  key text not null,
  title text not null,
  version int not null default 1,
  document jsonb not null,
  course_id uuid references courses(id) on delete cascade,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index units_course on units (course_id);

-- items holds the drawn items with their keys; it never leaves the server before submission.
create table attempts (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  course_id uuid references courses(id) on delete set null,
  pathway_id text,
  pathway_modalities text[] not null default '{}',
  item_ids text[] not null,
  items jsonb not null,
  status text not null check (status in ('open', 'submitted', 'expired')),
  started_at timestamptz not null,
  expires_at timestamptz not null,
  submitted_at timestamptz,
  score double precision,
  passed boolean,
  result jsonb
);
-- One open attempt per student and check, enforced by the database as well.
create unique index attempts_one_open on attempts (user_id, unit_id, competency_id) where status = 'open';
create index attempts_learner on attempts (user_id, unit_id, competency_id, submitted_at);
create index attempts_pathway on attempts (unit_id, competency_id, course_id) where status = 'submitted';

create table responses (
  attempt_id uuid not null references attempts(id) on delete cascade,
  position int not null,
  item_id text not null,
  answer jsonb,
  credit double precision not null,
  correct boolean not null,
  primary key (attempt_id, position)
);

create table mastery_current (
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  level text not null check (level in ('not_started', 'developing', 'approaching', 'mastered')),
  calculated_level text not null,
  estimate double precision,
  explanation text not null,
  evidence_count int not null,
  method text not null,
  overridden boolean not null default false,
  updated_at timestamptz not null,
  primary key (user_id, unit_id, competency_id)
);

create table mastery_history (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  level text not null,
  calculated_level text not null,
  estimate double precision,
  explanation text not null,
  cause text not null check (cause in ('attempt', 'override', 'override_withdrawn', 'recompute')),
  attempt_id uuid references attempts(id) on delete set null,
  actor_id uuid references users(id) on delete set null,
  created_at timestamptz not null
);
create index mastery_history_learner on mastery_history (user_id, unit_id, competency_id, created_at);

-- Overrides are never deleted: withdrawing sets withdrawn_*, which keeps the audit trail.
create table mastery_overrides (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  level text not null check (level in ('not_started', 'developing', 'approaching', 'mastered')),
  reason text not null,
  created_by uuid references users(id) on delete set null,
  created_by_name text,
  created_at timestamptz not null,
  level_before text not null,
  level_after text not null,
  withdrawn_by uuid references users(id) on delete set null,
  withdrawn_at timestamptz,
  level_after_withdrawal text
);
create unique index mastery_overrides_active on mastery_overrides (user_id, unit_id, competency_id) where withdrawn_at is null;

create table competency_waivers (
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  reason text not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (user_id, unit_id, competency_id)
);

create table bkt_parameters (
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  p_init double precision not null,
  p_learn double precision not null,
  p_slip double precision not null,
  p_guess double precision not null,
  students int not null,
  responses int not null,
  fitted_at timestamptz not null default now(),
  primary key (unit_id, competency_id)
);

create table learner_profiles (
  user_id uuid primary key references users(id) on delete cascade,
  interests text[] not null default '{}',
  preferred_modalities text[] not null default '{}',
  updated_at timestamptz not null default now()
);

create table learner_goals (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  text text not null,
  target_date date,
  status text not null check (status in ('active', 'achieved', 'dropped')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index learner_goals_user on learner_goals (user_id);

create table reflections (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  attempt_id uuid references attempts(id) on delete set null,
  what_helped text not null default '',
  confidence int not null check (confidence between 1 and 5),
  created_at timestamptz not null default now()
);
create index reflections_user on reflections (user_id, created_at);

create table pathway_choices (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  pathway_id text not null,
  course_id uuid references courses(id) on delete set null,
  chosen_at timestamptz not null
);
create index pathway_choices_learner on pathway_choices (user_id, unit_id, competency_id, chosen_at);
