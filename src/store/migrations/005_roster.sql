-- Names and Role Provisioning Services (https://www.imsglobal.org/spec/lti-nrps/v2p0/).
-- The context_memberships_url of the latest launch that carried the NRPS claim, and when the
-- roster was last read from it (rosters older than roster.maxAgeMinutes are read again).
alter table courses add column nrps_url text;
alter table courses add column roster_synced_at timestamptz;
-- When a roster sync last changed this enrollment (roles or status); members missing from a
-- complete sync are marked Deleted (kept, with their work, but hidden from the class roster).
alter table enrollments add column roster_seen_at timestamptz;
