-- Failed Dynamic Registration attempts count against the invite, so one leaked link cannot be
-- used to make Pathwise call addresses of an attacker's choosing again and again.
alter table registration_invites add column failed_attempts integer not null default 0;
