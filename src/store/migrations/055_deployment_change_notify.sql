-- Deployments are kept in the same in-memory copy as the platforms (the launch's deployment check
-- reads it), so a change to them (approved, blocked, a pending one recorded) is announced on the
-- same channel: every Pathwise instance drops its copy at commit.
drop trigger if exists deployments_changed on deployments;
create trigger deployments_changed after insert or update or delete or truncate on deployments
  for each statement execute function pathwise_notify_platforms();
