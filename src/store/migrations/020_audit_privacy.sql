-- The audit log: who did what, when, from which address (admin sign-ins, registrations,
-- approvals, key rotations, exports, deletions, retention runs, teacher overrides).
-- Append-only: Pathwise only ever INSERTs here and SELECTs from here. No UPDATE or DELETE is
-- granted to anyone, in code or here, and the trigger below refuses both, so an entry cannot be
-- changed or removed after the fact (not even by a student deletion or a retention run).
-- An entry holds no personal data: people appear only as `*_ref`, a one-way hash of Pathwise's
-- random internal user id, which links to nothing once that user is deleted.
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  -- operator (ADMIN_TOKEN), lms_admin (an LMS administrator's launch), teacher, system (a job).
  actor_kind text not null check (actor_kind in ('operator', 'lms_admin', 'teacher', 'system')),
  actor_ref text,
  -- The platform the action concerns (no foreign key: entries outlive the platform).
  platform_id uuid,
  action text not null,
  -- What it was done to: a deployment, key id, course or a subject reference (never a name).
  target text,
  subject_ref text,
  details jsonb not null default '{}',
  ip text
);
create index audit_log_at on audit_log (at desc);
create index audit_log_platform on audit_log (platform_id, at desc);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();

-- An operator can turn a whole platform off (launches refused with a clear page) and block a
-- deployment (a school) without deleting anything.
alter table platforms add column disabled_at timestamptz;
alter table deployments drop constraint deployments_status_check;
alter table deployments add constraint deployments_status_check check (status in ('active', 'pending', 'blocked'));

-- Launches per day for the usage report: counts only, no person in it.
create table usage_daily (
  day date not null,
  deployment_id uuid not null references deployments(id) on delete cascade,
  course_id uuid references courses(id) on delete cascade,
  -- 'teacher' or 'student' (what the launch's roles made of it)
  audience text not null,
  launches int not null default 0,
  unique nulls not distinct (day, deployment_id, course_id, audience)
);

-- Operator sign-in: failed tokens per address (5 → 15-minute lock-out) and admin sessions (only
-- the SHA-256 of the session token is kept). An LMS administrator's console session is the same
-- row with the platform it is limited to.
create table admin_sign_in_failures (
  ip text primary key,
  failures int not null,
  first_at timestamptz not null,
  locked_until timestamptz
);
create table admin_sessions (
  id text primary key,
  -- Set for an LMS administrator's session: the console is limited to this platform.
  platform_id uuid references platforms(id) on delete cascade,
  user_id uuid references users(id) on delete cascade,
  locale text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
-- An LMS administrator's launch hands over to the console in a tab of its own (cookies set inside
-- the LMS frame would be third-party) with a one-time ticket that lives a minute; only its hash is kept.
create table admin_tickets (
  id text primary key,
  platform_id uuid not null references platforms(id) on delete cascade,
  user_id uuid references users(id) on delete cascade,
  locale text,
  expires_at timestamptz not null
);
