-- The platforms and deployments triggers (migrations 035 and 055) now name the schema of the table
-- that changed in the notification's payload. Several Pathwise databases can live as schemas of one
-- PostgreSQL database, and NOTIFY reaches every listener of that database: a listener skips a
-- payload that names another schema, so one tenant's registration does not empty another's cache.
create or replace function pathwise_notify_platforms() returns trigger language plpgsql as $$
begin
  perform pg_notify('pathwise_platforms', tg_table_schema);
  return null;
end;
$$;
