-- Foundation: the tool's keys, platforms and deployments, login state, courses, users,
-- placements and sessions. Shared by the embedded and the server database.

create table tool_keys (
  kid text primary key,
  public_jwk jsonb not null,
  private_jwk jsonb not null,
  created_at timestamptz not null default now(),
  -- A new key is published first and signs only from activates_at on.
  activates_at timestamptz not null default now(),
  -- A rotated-out key stays published until retires_at, then disappears from the JWKS.
  retires_at timestamptz
);

create table platforms (
  id uuid primary key,
  issuer text not null,
  client_id text not null,
  name text,
  product_family text,
  auth_login_url text not null,
  auth_token_url text not null,
  auth_token_audience text,
  jwks_url text not null,
  registration jsonb,
  created_at timestamptz not null default now(),
  unique (issuer, client_id)
);

create table deployments (
  id uuid primary key,
  platform_id uuid not null references platforms(id) on delete cascade,
  deployment_id text not null,
  status text not null check (status in ('active', 'pending')),
  name text,
  created_at timestamptz not null default now(),
  approved_at timestamptz,
  unique (platform_id, deployment_id)
);

create table registration_invites (
  id uuid primary key,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  platform_id uuid references platforms(id) on delete set null
);

-- One row per OIDC login initiation; the nonce is consumed once, atomically, at launch.
create table login_states (
  state text primary key,
  nonce text not null unique,
  platform_id uuid not null references platforms(id) on delete cascade,
  target_link_uri text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index login_states_expires_at on login_states (expires_at);

create table courses (
  id uuid primary key,
  deployment_id uuid not null references deployments(id) on delete cascade,
  context_id text not null,
  title text,
  label text,
  updated_at timestamptz not null default now(),
  unique (deployment_id, context_id)
);

create table users (
  id uuid primary key,
  platform_id uuid not null references platforms(id) on delete cascade,
  sub text not null,
  name text,
  given_name text,
  family_name text,
  email text,
  locale text,
  updated_at timestamptz not null default now(),
  unique (platform_id, sub)
);

create table enrollments (
  course_id uuid not null references courses(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  roles text[] not null default '{}',
  status text not null default 'Active',
  last_launch_at timestamptz,
  primary key (course_id, user_id)
);

create table placements (
  id uuid primary key,
  course_id uuid not null references courses(id) on delete cascade,
  resource_link_id text not null,
  title text,
  custom jsonb not null default '{}',
  unit_id uuid,
  lineitem_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (course_id, resource_link_id)
);

-- Sessions are looked up by the SHA-256 of their token; the token itself is never stored.
create table sessions (
  id text primary key,
  user_id uuid not null references users(id) on delete cascade,
  course_id uuid references courses(id) on delete cascade,
  placement_id uuid references placements(id) on delete set null,
  platform_id uuid not null references platforms(id) on delete cascade,
  deployment_id uuid not null references deployments(id) on delete cascade,
  message_type text not null,
  roles text[] not null default '{}',
  locale text,
  launch jsonb not null default '{}',
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_expires_at on sessions (expires_at);
