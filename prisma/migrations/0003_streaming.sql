-- Streaming progress without gaps: every event row records the id of the transaction that
-- wrote it. A worker processes the events of transactions below the current snapshot's xmin
-- (all of which have finished), so an event committed late by a slow transaction is never
-- skipped, whatever its sequence number.
ALTER TABLE prediction_event ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE label_event ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX prediction_event_version_xid_idx ON prediction_event (model_version_id, xid);
CREATE INDEX label_event_project_xid_idx ON label_event (project_id, xid);

-- Per model version: events of transactions below `frontier` are merged into the minute,
-- hour and day profiles.
CREATE TABLE stream_state (
  model_version_id text PRIMARY KEY REFERENCES model_versions(id) ON DELETE CASCADE,
  organization_id  text NOT NULL,
  frontier         xid8 NOT NULL,
  events_merged    bigint NOT NULL DEFAULT 0,
  updated_at       timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX stream_state_organization_id_idx ON stream_state (organization_id);
