-- Predictions are stored as batches: one row per (ingest request, model version, UTC hour)
-- holding the request's new events of that hour as one compact JSON text. Measured on the
-- 2-core reference machine, a row per event with jsonb columns and four indexes cost Postgres
-- ~85 µs of CPU per event (bench/RESULTS.md); a batch row costs a few µs per event, leaving
-- the per-event cost to the one thing that must be per event: the idempotency key.
--
-- What changes for readers: the worker decodes batches (packages/db/src/predictions.ts is
-- the one place that knows the encoding); people and BI tools read the view
-- vigil_prediction_events, which expands batches into one row per event.
--
-- Labels get one table, prediction_label: the first label per (project, prediction id) wins,
-- and it records its prediction's version and event time once that prediction is stored, so
-- a window's labels are found by (version, time) instead of one lookup per prediction. A
-- label whose prediction is not stored yet waits with model_version_id NULL until the worker
-- matches it.

-- ───────────── prediction batches ─────────────
CREATE SEQUENCE prediction_batch_id_seq AS bigint;

CREATE TABLE prediction_batch (
  organization_id  text NOT NULL,
  project_id       text NOT NULL,
  model_id         text NOT NULL,
  model_version_id text NOT NULL,
  -- The UTC hour every event of the batch falls in: the partition key and the window key.
  hour             timestamptz(3) NOT NULL,
  id               bigint NOT NULL DEFAULT nextval('prediction_batch_id_seq'),
  event_count      integer NOT NULL CHECK (event_count > 0),
  -- 1: a JSON array of [client id, event time (epoch ms), features, prediction, scores, tags, label];
  -- 2: the request body as it arrived ({"predictions": [...]}), when each of its items is one new
  --    event of this batch; an item without a timestamp happened at received_at.
  encoding         smallint NOT NULL DEFAULT 1 CHECK (encoding IN (1, 2)),
  received_at      timestamptz(3) NOT NULL DEFAULT now(),
  xid              xid8 NOT NULL DEFAULT pg_current_xact_id(),
  events           text NOT NULL,
  PRIMARY KEY (model_version_id, hour, id)
) PARTITION BY RANGE (hour);
CREATE INDEX prediction_batch_version_xid_idx ON prediction_batch (model_version_id, xid);

-- lz4 compresses a batch about as well as pglz at a fraction of the CPU; servers built without
-- lz4 keep the default.
DO $$
BEGIN
  ALTER TABLE prediction_batch ALTER COLUMN events SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 is not available: prediction batches use the default compression';
END $$;

-- ───────────── labels ─────────────
CREATE TABLE prediction_label (
  project_id       text COLLATE "C" NOT NULL,
  prediction_id    text COLLATE "C" NOT NULL,
  organization_id  text NOT NULL,
  label            jsonb NOT NULL,
  -- When the ground truth became known (the label's timestamp, default: receive time).
  label_time       timestamptz(3) NOT NULL,
  received_at      timestamptz(3) NOT NULL DEFAULT now(),
  -- The labelled prediction's version and event time; NULL until that prediction is stored.
  model_version_id text,
  prediction_time  timestamptz(3),
  PRIMARY KEY (project_id, prediction_id)
);
CREATE INDEX prediction_label_window_idx ON prediction_label (model_version_id, prediction_time)
  WHERE model_version_id IS NOT NULL;
CREATE INDEX prediction_label_unmatched_idx ON prediction_label (project_id, prediction_id)
  WHERE model_version_id IS NULL;
CREATE INDEX prediction_label_time_idx ON prediction_label USING brin (label_time);

-- ───────────── idempotency keys ─────────────
-- Byte-wise ("C") comparison for the key's text columns: ids are opaque, and locale-aware
-- comparison was a visible share of the insert cost. Retention scans by event time, which
-- follows insertion order closely enough for a BRIN index, far cheaper to maintain than a btree.
ALTER TABLE prediction_key
  ALTER COLUMN project_id TYPE text COLLATE "C",
  ALTER COLUMN client_id TYPE text COLLATE "C";
DROP INDEX prediction_key_event_time_idx;
CREATE INDEX prediction_key_event_time_idx ON prediction_key USING brin (event_time);

-- ───────────── partitions ─────────────
CREATE OR REPLACE FUNCTION vigil_ensure_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date := from_day;
  created integer := 0;
  part text;
BEGIN
  WHILE d <= to_day LOOP
    part := 'prediction_batch_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      BEGIN
        EXECUTE format(
          'CREATE TABLE %I PARTITION OF prediction_batch FOR VALUES FROM (%L) TO (%L)',
          part, (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
        created := created + 1;
      EXCEPTION WHEN duplicate_table THEN
        NULL; -- created concurrently by another session
      END;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN created;
END $$;

CREATE OR REPLACE FUNCTION vigil_drop_partitions_before(before_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  dropped integer := 0;
BEGIN
  FOR r IN
    SELECT c.relname
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'prediction_batch'
      AND to_date(right(c.relname, 8), 'YYYYMMDD') < before_day
  LOOP
    EXECUTE format('DROP TABLE %I', r.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

-- ───────────── existing data ─────────────
-- Partitions for every day that holds events, then one batch per (version, hour, writing
-- transaction) — what one ingest request wrote — so a batch keeps its transaction id and the
-- streaming frontier still says which events were merged. Labels that came through
-- /v1/labels move to prediction_label; an event keeps only a label given inline.
DO $$
DECLARE
  lo date;
  hi date;
BEGIN
  SELECT min(event_time)::date - 1, max(event_time)::date + 1 INTO lo, hi FROM prediction_event;
  IF lo IS NOT NULL THEN
    PERFORM vigil_ensure_partitions(lo, hi);
  END IF;
END $$;
SELECT vigil_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 91, (now() AT TIME ZONE 'UTC')::date + 3);

INSERT INTO prediction_batch (organization_id, project_id, model_id, model_version_id, hour, event_count, received_at, xid, events)
SELECT e.organization_id, e.project_id, e.model_id, e.model_version_id,
       date_bin('1 hour', e.event_time, timestamptz '2000-01-01 00:00:00+00') AS hour,
       count(*)::int, max(e.received_at), e.xid,
       json_agg(json_build_array(
         e.client_id, (extract(epoch FROM e.event_time) * 1000)::bigint, e.features, e.prediction, e.scores, e.tags,
         CASE WHEN lk.prediction_id IS NULL THEN e.label END
       ) ORDER BY e.event_time, e.client_id)::text
FROM prediction_event e
LEFT JOIN label_key lk ON lk.project_id = e.project_id AND lk.prediction_id = e.client_id
GROUP BY e.organization_id, e.project_id, e.model_id, e.model_version_id, 5, e.xid;

INSERT INTO prediction_label (project_id, prediction_id, organization_id, label, label_time, received_at, model_version_id, prediction_time)
SELECT lk.project_id, lk.prediction_id, lk.organization_id, le.label, le.event_time, le.received_at, pk.model_version_id, pk.event_time
FROM label_key lk
JOIN label_event le ON le.project_id = lk.project_id AND le.prediction_id = lk.prediction_id AND le.event_time = lk.event_time
LEFT JOIN prediction_key pk ON pk.project_id = lk.project_id AND pk.client_id = lk.prediction_id;

DROP TABLE prediction_event;
DROP TABLE label_event;
DROP TABLE label_key;
DROP SEQUENCE event_seq;

-- ───────────── the event view ─────────────
-- One row per stored prediction, with its label (from /v1/labels, else the inline one).
-- Expanding batches costs CPU: filter by project_id, model_version_id and hour first.
CREATE VIEW vigil_prediction_events AS
WITH e AS (
  SELECT b.organization_id, b.project_id, b.model_id, b.model_version_id, b.hour, b.received_at, b.xid,
         CASE WHEN b.encoding = 2 THEN x.value ->> 'id' ELSE x.value ->> 0 END AS client_id,
         (CASE WHEN b.encoding = 2 THEN
            CASE jsonb_typeof(x.value -> 'timestamp')
              WHEN 'number' THEN to_timestamp((x.value ->> 'timestamp')::double precision / 1000)
              WHEN 'string' THEN date_trunc('milliseconds', (x.value ->> 'timestamp')::timestamptz)
              ELSE b.received_at
            END
          ELSE to_timestamp((x.value ->> 1)::double precision / 1000)
          END)::timestamptz(3) AS event_time,
         CASE WHEN b.encoding = 2 THEN x.value -> 'features' ELSE x.value -> 2 END AS features,
         CASE WHEN b.encoding = 2 THEN x.value -> 'prediction' ELSE x.value -> 3 END AS prediction,
         NULLIF(CASE WHEN b.encoding = 2 THEN x.value -> 'scores' ELSE x.value -> 4 END, 'null'::jsonb) AS scores,
         NULLIF(CASE WHEN b.encoding = 2 THEN x.value -> 'tags' ELSE x.value -> 5 END, 'null'::jsonb) AS tags,
         NULLIF(CASE WHEN b.encoding = 2 THEN x.value -> 'label' ELSE x.value -> 6 END, 'null'::jsonb) AS inline_label
  FROM prediction_batch b
  CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN b.encoding = 2 THEN b.events::jsonb -> 'predictions' ELSE b.events::jsonb END) AS x(value)
)
SELECT e.organization_id,
       e.project_id,
       e.model_id,
       e.model_version_id,
       e.hour,
       e.client_id,
       e.event_time,
       e.features,
       e.prediction,
       e.scores,
       e.tags,
       COALESCE(l.label, e.inline_label) AS label,
       CASE WHEN l.label IS NOT NULL THEN l.label_time WHEN e.inline_label IS NOT NULL THEN e.event_time END AS label_time,
       e.received_at,
       e.xid
FROM e
LEFT JOIN prediction_label l ON l.project_id = e.project_id AND l.prediction_id = e.client_id;
