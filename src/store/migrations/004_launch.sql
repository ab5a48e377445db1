-- Platform storage (https://www.imsglobal.org/spec/lti-cs-oidc/v0p1): remember the frame the
-- platform named in lti_storage_target so the launch can read state/nonce back from it.
alter table login_states add column storage_target text;
