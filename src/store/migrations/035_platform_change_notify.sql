-- Every change to the registered platforms is announced on the channel pathwise_platforms, so each
-- Pathwise instance drops its cached frame-ancestors origins at once (NOTIFY is sent at commit).
create or replace function pathwise_notify_platforms() returns trigger language plpgsql as $$
begin
  perform pg_notify('pathwise_platforms', '');
  return null;
end;
$$;

drop trigger if exists platforms_changed on platforms;
create trigger platforms_changed after insert or update or delete or truncate on platforms
  for each statement execute function pathwise_notify_platforms();
