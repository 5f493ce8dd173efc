-- A prediction key row is written for every event, so its width is per-event WAL and CPU.
-- organization_id was never read from it (a key belongs to its project, which belongs to one
-- workspace; retention and label matching go by project), and it was about a fifth of the row.
-- Dropping a column only changes the catalog: old rows keep their bytes until rewritten, new
-- rows are written without it.
ALTER TABLE prediction_key DROP COLUMN organization_id;
