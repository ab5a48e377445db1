-- Assignment and Grade Services (https://www.imsglobal.org/spec/lti-ags/v2p0/).
-- The AGS endpoint claim of the latest launch of each placement, and the line item Pathwise
-- found or created for it when the launch named none.
create table ags_endpoints (
  placement_id uuid primary key references placements(id) on delete cascade,
  -- https://www.imsglobal.org/spec/lti-ags/v2p0/#assignment-and-grade-service-claim
  lineitems_url text,
  lineitem_url text,
  scopes text[] not null default '{}',
  -- Found in `lineitems` or created there by Pathwise (used when the launch names no lineitem).
  resolved_lineitem_url text,
  updated_at timestamptz not null default now()
);

-- Outbox leases: a worker claims a row with a claim_id; a row left in 'sending' longer than the
-- lease (the worker crashed) is claimed again. Only the claim holder may complete a row.
alter table grade_outbox add column claim_id uuid;
alter table grade_outbox add column claimed_at timestamptz;
-- The timestamp of the last score the LMS accepted (Canvas: later sends are not new submissions).
alter table grade_outbox add column sent_score_timestamp timestamptz;
create index grade_outbox_leased on grade_outbox (claimed_at) where status = 'sending';
