-- Student work that sits beside the learning engine's tables: requests for the teacher's help
-- on a competency, "done" marks on a pathway's resources, and saved answers of an open mastery
-- check (so a reload or a lost connection does not lose them).

create table help_requests (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  course_id uuid not null references courses(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  message text not null default '',
  status text not null default 'open' check (status in ('open', 'resolved')),
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by uuid references users(id) on delete set null
);
create index help_requests_course on help_requests (course_id, status, created_at);
-- One open request per student and competency: asking twice does not pile up.
create unique index help_requests_one_open on help_requests (user_id, unit_id, competency_id) where status = 'open';

-- Resources have no ids of their own in a unit document: a mark names the resource by its position.
create table resource_marks (
  user_id uuid not null references users(id) on delete cascade,
  unit_id uuid not null references units(id) on delete cascade,
  competency_id text not null,
  pathway_id text not null,
  resource_index int not null check (resource_index >= 0),
  done_at timestamptz not null default now(),
  primary key (user_id, unit_id, competency_id, pathway_id, resource_index)
);

create table attempt_drafts (
  attempt_id uuid primary key references attempts(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  answers jsonb not null,
  updated_at timestamptz not null default now()
);
