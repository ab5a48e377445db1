-- Deep linking idempotency (https://www.imsglobal.org/spec/lti-dl/v2p0/): the units one deep
-- linking request (one launch session) produced for one set of choices. Submitting the picker
-- again with the same choices returns the same units instead of making new copies.
create table deep_linking_results (
  session_id text not null references sessions(id) on delete cascade,
  choices text not null,
  unit_ids uuid[] not null,
  created_at timestamptz not null default now(),
  primary key (session_id, choices)
);
