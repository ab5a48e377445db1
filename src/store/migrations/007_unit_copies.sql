-- Deep linking and placement resolution (https://www.imsglobal.org/spec/lti-dl/v2p0/).
-- A unit copied from another (a teacher's unit from another course, or a unit named by a link of
-- a course the LMS copied) remembers its source, so later links to the same source reuse the copy.
alter table units add column copied_from uuid references units(id) on delete set null;
create index units_copied_from on units (copied_from, course_id) where copied_from is not null;
create index placements_unit on placements (unit_id);
