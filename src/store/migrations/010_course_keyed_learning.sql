-- Mastery, overrides, waivers, attempts, reflections and goals belong to one course: a library
-- unit placed in two courses must not carry one course's work, overrides or grades into the
-- other. course_id is null only for work done outside any course (none through the web).
--
-- Existing rows move to the course of their placement: the courses where the unit is placed and
-- the student is enrolled. A row that fits several courses is copied into each (what each
-- teacher saw before; the next change recalculates it from that course's attempts alone).

-- The courses where a (user, unit) pair has a placement.
create temporary table course_of_work on commit drop as
  select distinct e.user_id, p.unit_id, p.course_id
  from placements p join enrollments e on e.course_id = p.course_id
  where p.unit_id is not null;

-- Attempts already remember their course; those that do not get their only possible course.
update attempts a set course_id = c.course_id
from (select user_id, unit_id, min(course_id::text)::uuid as course_id from course_of_work group by user_id, unit_id having count(*) = 1) c
where a.course_id is null and c.user_id = a.user_id and c.unit_id = a.unit_id;
drop index attempts_one_open;
create unique index attempts_one_open on attempts (user_id, course_id, unit_id, competency_id) nulls not distinct where status = 'open';
drop index attempts_learner;
create index attempts_learner on attempts (user_id, unit_id, competency_id, course_id, submitted_at);

-- Current mastery: keyed by course.
alter table mastery_current add column course_id uuid references courses(id) on delete cascade;
alter table mastery_current drop constraint mastery_current_pkey;
insert into mastery_current (user_id, unit_id, competency_id, level, calculated_level, estimate, explanation,
  evidence_count, method, overridden, updated_at, course_id)
select m.user_id, m.unit_id, m.competency_id, m.level, m.calculated_level, m.estimate, m.explanation,
  m.evidence_count, m.method, m.overridden, m.updated_at, c.course_id
from mastery_current m join course_of_work c on c.user_id = m.user_id and c.unit_id = m.unit_id
where m.course_id is null;
delete from mastery_current m where m.course_id is null
  and exists (select 1 from course_of_work c where c.user_id = m.user_id and c.unit_id = m.unit_id);
create unique index mastery_current_key on mastery_current (user_id, course_id, unit_id, competency_id) nulls not distinct;
create index mastery_current_course_unit on mastery_current (course_id, unit_id);

-- History: the attempt's course when there is one, else copied like the current rows.
alter table mastery_history add column course_id uuid references courses(id) on delete cascade;
update mastery_history h set course_id = a.course_id from attempts a where h.attempt_id = a.id and a.course_id is not null;
insert into mastery_history (id, user_id, unit_id, competency_id, level, calculated_level, estimate, explanation,
  cause, attempt_id, actor_id, created_at, course_id)
select gen_random_uuid(), h.user_id, h.unit_id, h.competency_id, h.level, h.calculated_level, h.estimate, h.explanation,
  h.cause, h.attempt_id, h.actor_id, h.created_at, c.course_id
from mastery_history h join course_of_work c on c.user_id = h.user_id and c.unit_id = h.unit_id
where h.course_id is null;
delete from mastery_history h where h.course_id is null
  and exists (select 1 from course_of_work c where c.user_id = h.user_id and c.unit_id = h.unit_id);
drop index mastery_history_learner;
create index mastery_history_learner on mastery_history (user_id, course_id, unit_id, competency_id, created_at);

-- Overrides: the course where the teacher who made it teaches, when that is known; else copied.
alter table mastery_overrides add column course_id uuid references courses(id) on delete cascade;
drop index mastery_overrides_active;
update mastery_overrides o set course_id = (
    select min(c.course_id::text)::uuid from course_of_work c join enrollments t on t.course_id = c.course_id and t.user_id = o.created_by
    where c.user_id = o.user_id and c.unit_id = o.unit_id)
where o.course_id is null;
insert into mastery_overrides (id, user_id, unit_id, competency_id, level, reason, created_by, created_by_name, created_at,
  level_before, level_after, withdrawn_by, withdrawn_at, level_after_withdrawal, course_id)
select gen_random_uuid(), o.user_id, o.unit_id, o.competency_id, o.level, o.reason, o.created_by, o.created_by_name, o.created_at,
  o.level_before, o.level_after, o.withdrawn_by, o.withdrawn_at, o.level_after_withdrawal, c.course_id
from mastery_overrides o join course_of_work c on c.user_id = o.user_id and c.unit_id = o.unit_id
where o.course_id is null;
delete from mastery_overrides o where o.course_id is null
  and exists (select 1 from course_of_work c where c.user_id = o.user_id and c.unit_id = o.unit_id);
create unique index mastery_overrides_active on mastery_overrides (user_id, course_id, unit_id, competency_id) nulls not distinct where withdrawn_at is null;

-- Waivers: keyed by course, copied like the current rows.
alter table competency_waivers add column course_id uuid references courses(id) on delete cascade;
alter table competency_waivers drop constraint competency_waivers_pkey;
insert into competency_waivers (user_id, unit_id, competency_id, reason, created_by, created_at, course_id)
select w.user_id, w.unit_id, w.competency_id, w.reason, w.created_by, w.created_at, c.course_id
from competency_waivers w join course_of_work c on c.user_id = w.user_id and c.unit_id = w.unit_id
where w.course_id is null;
delete from competency_waivers w where w.course_id is null
  and exists (select 1 from course_of_work c where c.user_id = w.user_id and c.unit_id = w.unit_id);
create unique index competency_waivers_key on competency_waivers (user_id, course_id, unit_id, competency_id) nulls not distinct;

-- Reflections and goals are what a student wrote in one course: only that course's teachers read
-- them. Old ones go to the attempt's course, or the only course they can belong to.
alter table reflections add column course_id uuid references courses(id) on delete cascade;
update reflections r set course_id = a.course_id from attempts a where r.attempt_id = a.id;
update reflections r set course_id = c.course_id
from (select user_id, unit_id, min(course_id::text)::uuid as course_id from course_of_work group by user_id, unit_id having count(*) = 1) c
where r.course_id is null and c.user_id = r.user_id and c.unit_id = r.unit_id;
alter table learner_goals add column course_id uuid references courses(id) on delete cascade;
update learner_goals g set course_id = e.course_id
from (select user_id, min(course_id::text)::uuid as course_id from enrollments group by user_id having count(*) = 1) e
where g.course_id is null and e.user_id = g.user_id;

-- Pathway choices already carry their course; one open help request per course.
drop index help_requests_one_open;
create unique index help_requests_one_open on help_requests (user_id, course_id, unit_id, competency_id) where status = 'open';
