-- Mastery explanations are stored as data (the numbers of the calculation) and put into words
-- by the catalog of the reader's language. Rows saved before keep their English words.
alter table mastery_current add column explanation_data jsonb;
alter table mastery_current alter column explanation drop not null;
alter table mastery_history add column explanation_data jsonb;
alter table mastery_history alter column explanation drop not null;
