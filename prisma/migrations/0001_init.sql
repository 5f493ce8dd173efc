-- Vigil schema, version 1. Applied by packages/db's migration runner inside one transaction.

CREATE TYPE org_role AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER');
CREATE TYPE team_role AS ENUM ('MAINTAINER', 'MEMBER');

-- ───────────── identity ─────────────
CREATE TABLE users (
  id             text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  name           text NOT NULL,
  email          text NOT NULL UNIQUE,
  email_verified boolean NOT NULL DEFAULT false,
  image          text,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id                     text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  token                  text NOT NULL UNIQUE,
  user_id                text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at             timestamptz(3) NOT NULL,
  ip_address             text,
  user_agent             text,
  active_organization_id text,
  created_at             timestamptz(3) NOT NULL DEFAULT now(),
  updated_at             timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE accounts (
  id                       text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  account_id               text NOT NULL,
  provider_id              text NOT NULL,
  user_id                  text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  password                 text,
  access_token             text,
  refresh_token            text,
  id_token                 text,
  access_token_expires_at  timestamptz(3),
  refresh_token_expires_at timestamptz(3),
  scope                    text,
  created_at               timestamptz(3) NOT NULL DEFAULT now(),
  updated_at               timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX accounts_user_id_idx ON accounts (user_id);

CREATE TABLE verifications (
  id         text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  identifier text NOT NULL,
  value      text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX verifications_identifier_idx ON verifications (identifier);

-- ───────────── tenancy ─────────────
CREATE TABLE organizations (
  id         text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  name       text NOT NULL,
  slug       text NOT NULL UNIQUE,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id         text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role            org_role NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (organization_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE invitations (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email           text NOT NULL,
  role            org_role NOT NULL,
  token_hash      text NOT NULL UNIQUE,
  invited_by_id   text,
  expires_at      timestamptz(3) NOT NULL,
  accepted_at     timestamptz(3),
  revoked_at      timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX invitations_organization_id_idx ON invitations (organization_id);

CREATE TABLE teams (
  id                  text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id     text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name                text NOT NULL,
  slug                text NOT NULL,
  notification_policy jsonb NOT NULL DEFAULT '{}',
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (organization_id, slug)
);

CREATE TABLE team_members (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  team_id         text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id         text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role            team_role NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (team_id, user_id)
);
CREATE INDEX team_members_org_user_idx ON team_members (organization_id, user_id);

CREATE TABLE projects (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  team_id         text NOT NULL REFERENCES teams(id) ON DELETE RESTRICT,
  name            text NOT NULL,
  slug            text NOT NULL,
  retention_days  integer NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 1 AND 3650),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (organization_id, slug)
);
CREATE INDEX projects_team_id_idx ON projects (team_id);

CREATE TABLE api_keys (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id      text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name            text NOT NULL,
  prefix          text NOT NULL UNIQUE,
  hash            text NOT NULL UNIQUE,
  scopes          text[] NOT NULL,
  created_by_id   text,
  last_used_at    timestamptz(3),
  revoked_at      timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (scopes <@ ARRAY['ingest', 'read', 'admin']::text[] AND cardinality(scopes) > 0)
);
CREATE INDEX api_keys_org_project_idx ON api_keys (organization_id, project_id);

-- ───────────── models and data ─────────────
CREATE TABLE models (
  id               text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id  text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id       text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  slug             text NOT NULL,
  name             text NOT NULL,
  task             text CHECK (task IN ('binary', 'multiclass', 'regression')),
  segment_tags     text[] NOT NULL DEFAULT '{}',
  reference_config jsonb,
  drift_config     jsonb,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (project_id, slug)
);
CREATE INDEX models_organization_id_idx ON models (organization_id);

CREATE TABLE model_versions (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id      text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  model_id        text NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  name            text NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (model_id, name)
);
CREATE INDEX model_versions_organization_id_idx ON model_versions (organization_id);

CREATE TABLE model_columns (
  id                  text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id     text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id          text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  model_id            text NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  name                text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('numerical', 'categorical', 'boolean')),
  role                text NOT NULL CHECK (role IN ('feature', 'prediction', 'score', 'label')),
  type_mismatch_count bigint NOT NULL DEFAULT 0,
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (model_id, role, name)
);
CREATE INDEX model_columns_organization_id_idx ON model_columns (organization_id);

CREATE TABLE reference_datasets (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id      text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  model_id        text NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  name            text NOT NULL,
  source          text NOT NULL CHECK (source IN ('upload', 'range', 'trailing')),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('receiving', 'pending', 'ready', 'failed')),
  row_count       bigint NOT NULL DEFAULT 0,
  range_start     timestamptz(3),
  range_end       timestamptz(3),
  trailing_days   integer,
  profile         jsonb,
  error           text,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  ready_at        timestamptz(3)
);
CREATE INDEX reference_datasets_org_model_idx ON reference_datasets (organization_id, model_id);

CREATE TABLE reference_rows (
  organization_id      text NOT NULL,
  reference_dataset_id text NOT NULL REFERENCES reference_datasets(id) ON DELETE CASCADE,
  row_index            bigint NOT NULL,
  data                 jsonb NOT NULL,
  PRIMARY KEY (reference_dataset_id, row_index)
);

-- Raw events, range-partitioned by event time. Daily partitions are created by
-- vigil_ensure_partitions() (at migration, by the ingest path on demand, and ahead by the
-- worker) and dropped whole by retention.
CREATE SEQUENCE event_seq AS bigint;

CREATE TABLE prediction_event (
  organization_id  text NOT NULL,
  project_id       text NOT NULL,
  model_id         text NOT NULL,
  model_version_id text NOT NULL,
  client_id        text NOT NULL,
  event_time       timestamptz(3) NOT NULL,
  received_at      timestamptz(3) NOT NULL DEFAULT now(),
  seq              bigint NOT NULL DEFAULT nextval('event_seq'),
  features         jsonb NOT NULL,
  prediction       jsonb NOT NULL,
  scores           jsonb,
  tags             jsonb,
  label            jsonb,
  label_time       timestamptz(3),
  PRIMARY KEY (project_id, client_id, event_time)
) PARTITION BY RANGE (event_time);
CREATE INDEX prediction_event_version_time_idx ON prediction_event (model_version_id, event_time);
CREATE INDEX prediction_event_version_seq_idx ON prediction_event (model_version_id, seq);

CREATE TABLE prediction_key (
  project_id       text NOT NULL,
  client_id        text NOT NULL,
  organization_id  text NOT NULL,
  model_version_id text NOT NULL,
  event_time       timestamptz(3) NOT NULL,
  PRIMARY KEY (project_id, client_id)
);
CREATE INDEX prediction_key_event_time_idx ON prediction_key (event_time);

CREATE TABLE label_event (
  organization_id text NOT NULL,
  project_id      text NOT NULL,
  prediction_id   text NOT NULL,
  event_time      timestamptz(3) NOT NULL,
  received_at     timestamptz(3) NOT NULL DEFAULT now(),
  seq             bigint NOT NULL DEFAULT nextval('event_seq'),
  label           jsonb NOT NULL,
  PRIMARY KEY (project_id, prediction_id, event_time)
) PARTITION BY RANGE (event_time);

CREATE TABLE label_key (
  project_id      text NOT NULL,
  prediction_id   text NOT NULL,
  organization_id text NOT NULL,
  event_time      timestamptz(3) NOT NULL,
  PRIMARY KEY (project_id, prediction_id)
);
CREATE INDEX label_key_event_time_idx ON label_key (event_time);

-- Creates the daily partitions of both event tables covering [from_day, to_day] (UTC days).
-- Idempotent and safe to call concurrently (each CREATE takes the parent's lock briefly).
CREATE FUNCTION vigil_ensure_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date := from_day;
  created integer := 0;
  tbl text;
  part text;
BEGIN
  WHILE d <= to_day LOOP
    FOREACH tbl IN ARRAY ARRAY['prediction_event', 'label_event'] LOOP
      part := tbl || '_' || to_char(d, 'YYYYMMDD');
      IF to_regclass(part) IS NULL THEN
        BEGIN
          EXECUTE format(
            'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
            part, tbl, (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
          created := created + 1;
        EXCEPTION WHEN duplicate_table THEN
          NULL; -- created concurrently by another session
        END;
      END IF;
    END LOOP;
    d := d + 1;
  END LOOP;
  RETURN created;
END $$;

-- Drops whole daily partitions that end before `before_day`. Returns the number dropped.
CREATE FUNCTION vigil_drop_partitions_before(before_day date) RETURNS integer
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
    WHERE p.relname IN ('prediction_event', 'label_event')
      AND to_date(right(c.relname, 8), 'YYYYMMDD') < before_day
  LOOP
    EXECUTE format('DROP TABLE %I', r.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

SELECT vigil_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 91, (now() AT TIME ZONE 'UTC')::date + 3);

-- ───────────── computed ─────────────
CREATE TABLE column_profile (
  id               bigserial PRIMARY KEY,
  organization_id  text NOT NULL,
  project_id       text NOT NULL,
  model_id         text NOT NULL,
  model_version_id text NOT NULL,
  column_name      text NOT NULL,
  role             text NOT NULL,
  segment          text NOT NULL DEFAULT '',
  granularity      text NOT NULL CHECK (granularity IN ('minute', 'hour', 'day')),
  window_start     timestamptz(3) NOT NULL,
  profile          jsonb NOT NULL,
  event_count      bigint NOT NULL DEFAULT 0,
  watermark        bigint NOT NULL DEFAULT 0,
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (model_version_id, column_name, role, segment, granularity, window_start)
);
CREATE INDEX column_profile_organization_id_idx ON column_profile (organization_id);

CREATE TABLE metric_point (
  id               bigserial PRIMARY KEY,
  organization_id  text NOT NULL,
  project_id       text NOT NULL,
  model_id         text NOT NULL,
  model_version_id text,
  metric           text NOT NULL,
  column_name      text NOT NULL DEFAULT '',
  segment          text NOT NULL DEFAULT '',
  granularity      text NOT NULL CHECK (granularity IN ('minute', 'hour', 'day', 'rolling_1h')),
  window_start     timestamptz(3) NOT NULL,
  value            double precision NOT NULL,
  details          jsonb,
  computed_at      timestamptz(3) NOT NULL DEFAULT now()
);
-- One point per metric key: recomputes upsert (ON CONFLICT … DO UPDATE), never duplicate.
CREATE UNIQUE INDEX metric_point_key ON metric_point
  (model_id, model_version_id, metric, column_name, segment, granularity, window_start) NULLS NOT DISTINCT;
CREATE INDEX metric_point_org_model_metric_idx ON metric_point
  (organization_id, model_id, metric, granularity, window_start);

-- ───────────── alerting ─────────────
CREATE TABLE alert_rules (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  team_id         text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name            text NOT NULL,
  definition      jsonb NOT NULL,
  enabled         boolean NOT NULL DEFAULT true,
  created_by_id   text,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX alert_rules_org_team_idx ON alert_rules (organization_id, team_id);

CREATE TABLE alerts (
  id                 text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id    text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  rule_id            text NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
  fingerprint        text NOT NULL,
  labels             jsonb NOT NULL,
  state              text NOT NULL CHECK (state IN ('ok', 'pending', 'firing', 'resolved', 'nodata')),
  severity           text CHECK (severity IN ('warning', 'critical')),
  value              double precision,
  consecutive        integer NOT NULL DEFAULT 0,
  started_at         timestamptz(3),
  last_evaluated_at  timestamptz(3),
  last_breach_at     timestamptz(3),
  resolved_at        timestamptz(3),
  last_notified_at   timestamptz(3),
  acknowledged_by_id text,
  acknowledged_at    timestamptz(3),
  UNIQUE (rule_id, fingerprint)
);
CREATE INDEX alerts_org_state_idx ON alerts (organization_id, state);

CREATE TABLE alert_events (
  id              bigserial PRIMARY KEY,
  organization_id text NOT NULL,
  alert_id        text NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  from_state      text NOT NULL,
  to_state        text NOT NULL,
  severity        text,
  value           double precision,
  details         jsonb,
  at              timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX alert_events_org_alert_at_idx ON alert_events (organization_id, alert_id, at);

CREATE TABLE silences (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  team_id         text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  matchers        jsonb NOT NULL,
  comment         text NOT NULL DEFAULT '',
  created_by_id   text,
  starts_at       timestamptz(3) NOT NULL DEFAULT now(),
  ends_at         timestamptz(3) NOT NULL,
  created_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX silences_org_team_ends_idx ON silences (organization_id, team_id, ends_at);

CREATE TABLE notification_channels (
  id               text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id  text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  team_id          text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name             text NOT NULL,
  type             text NOT NULL CHECK (type IN ('webhook', 'slack', 'email', 'pagerduty')),
  config           jsonb NOT NULL,
  secret_encrypted text,
  enabled          boolean NOT NULL DEFAULT true,
  created_at       timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX notification_channels_org_team_idx ON notification_channels (organization_id, team_id);

CREATE TABLE notification_deliveries (
  id              text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  organization_id text NOT NULL,
  channel_id      text NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
  group_key       text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('firing', 'resolved', 'test', 'repeat')),
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  delivered_at    timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX notification_deliveries_org_channel_idx ON notification_deliveries (organization_id, channel_id, created_at);

CREATE TABLE notification_attempts (
  id              bigserial PRIMARY KEY,
  organization_id text NOT NULL,
  delivery_id     text NOT NULL REFERENCES notification_deliveries(id) ON DELETE CASCADE,
  attempt         integer NOT NULL,
  status_code     integer,
  error           text,
  duration_ms     integer NOT NULL,
  at              timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX notification_attempts_delivery_id_idx ON notification_attempts (delivery_id);

CREATE TABLE audit_logs (
  id                bigserial PRIMARY KEY,
  organization_id   text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  actor_user_id     text,
  actor_api_key_id  text,
  action            text NOT NULL,
  target_type       text NOT NULL,
  target_id         text,
  details           jsonb,
  created_at        timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_org_created_idx ON audit_logs (organization_id, created_at);

-- ───────────── stable views for BI tools (documented in docs/bi.md) ─────────────
CREATE VIEW vigil_models AS
SELECT m.id AS model_id, m.slug AS model, m.name AS model_name, m.task,
       p.id AS project_id, p.slug AS project, t.slug AS team,
       o.id AS organization_id, o.slug AS workspace, m.created_at
FROM models m
JOIN projects p ON p.id = m.project_id
JOIN teams t ON t.id = p.team_id
JOIN organizations o ON o.id = m.organization_id;

CREATE VIEW vigil_metrics AS
SELECT mp.organization_id, o.slug AS workspace, p.slug AS project, m.slug AS model,
       mv.name AS model_version, mp.metric, NULLIF(mp.column_name, '') AS column_name,
       NULLIF(mp.segment, '') AS segment, mp.granularity, mp.window_start AS time,
       mp.value, mp.details, mp.computed_at
FROM metric_point mp
JOIN models m ON m.id = mp.model_id
JOIN projects p ON p.id = mp.project_id
JOIN organizations o ON o.id = mp.organization_id
LEFT JOIN model_versions mv ON mv.id = mp.model_version_id;

CREATE VIEW vigil_alerts AS
SELECT a.organization_id, o.slug AS workspace, t.slug AS team, r.name AS rule, a.id AS alert_id,
       a.fingerprint, a.labels, a.state, a.severity, a.value, a.started_at, a.resolved_at,
       a.acknowledged_at
FROM alerts a
JOIN alert_rules r ON r.id = a.rule_id
JOIN teams t ON t.id = r.team_id
JOIN organizations o ON o.id = a.organization_id;
