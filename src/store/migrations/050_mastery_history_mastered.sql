-- The dashboard's "mastered per week" reads the first time each student of a course reached
-- "mastered" on each competency of a unit: this partial index answers it without reading the
-- rest of the history.
create index mastery_history_mastered on mastery_history (course_id, unit_id, user_id, competency_id, created_at)
  where level = 'mastered';
