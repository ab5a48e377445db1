-- The built-in demo LMS (config demo.enabled): its own signing keys, the resource links of its
-- demo course, the gradebook columns (AGS line items) and the scores Pathwise sent it.
-- Nothing in Pathwise itself reads these tables.

create table demo_lms_keys (
  kid text primary key,
  public_jwk jsonb not null,
  private_jwk jsonb not null,
  created_at timestamptz not null default now()
);

create table demo_lms_line_items (
  id uuid primary key,
  label text not null,
  score_maximum double precision not null,
  resource_id text,
  resource_link_id text,
  tag text,
  created_at timestamptz not null default now()
);

create table demo_lms_links (
  id text primary key,
  title text not null,
  custom jsonb not null default '{}',
  line_item_id uuid references demo_lms_line_items(id) on delete set null,
  created_at timestamptz not null default now()
);

create table demo_lms_scores (
  id uuid primary key,
  line_item_id uuid not null references demo_lms_line_items(id) on delete cascade,
  user_id text not null,
  score_given double precision,
  score_maximum double precision,
  activity_progress text not null,
  grading_progress text not null,
  comment text,
  score_timestamp timestamptz not null,
  received_at timestamptz not null default now()
);
create index demo_lms_scores_latest on demo_lms_scores (line_item_id, user_id, score_timestamp desc);
