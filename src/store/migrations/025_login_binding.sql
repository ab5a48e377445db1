-- Binding a login to the browser without cookies (docs/sessions.md): the hashes of two random
-- proofs the login page keeps in the tool's own web storage and in LTI platform storage, neither
-- ever sent to the LMS; and what a "new tab" restart of the login needs (its login parameters and
-- a single-use restart token, by hash).
alter table login_states add column own_proof_hash text;
alter table login_states add column platform_proof_hash text;
alter table login_states add column login_params jsonb;
alter table login_states add column restart_hash text;
alter table login_states add column restart_expires_at timestamptz;
alter table login_states add column restarted_at timestamptz;
-- True for a login restarted top-level in a new tab (the session's pages then say so).
alter table login_states add column new_tab boolean not null default false;
create unique index login_states_restart_hash on login_states (restart_hash) where restart_hash is not null;
