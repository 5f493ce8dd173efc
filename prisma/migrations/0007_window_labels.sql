-- Labels that change an hour or day window are recorded on the window in the same transaction
-- that stores them, so the window is recomputed even when its queued job is lost (Redis
-- restarted without persistence, or unreachable when the labels arrived).
--   labels_seq         label writes that touched the window so far;
--   labels_seq_closed  the labels_seq the last exact recompute read before it read the rows.
-- A window with labels_seq > labels_seq_closed is due again. A label for a window that was
-- never closed creates its row with closed_at NULL ("not closed yet").
ALTER TABLE window_state
  ALTER COLUMN closed_at DROP NOT NULL,
  ALTER COLUMN rows SET DEFAULT 0,
  ADD COLUMN labels_seq bigint NOT NULL DEFAULT 0,
  ADD COLUMN labels_seq_closed bigint NOT NULL DEFAULT 0;
