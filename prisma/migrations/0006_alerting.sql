-- Alert evaluation and notification state (DESIGN.md §6; semantics in packages/alerting).

-- An instance knows its model and project (for listing and BI) and keeps the evaluator's
-- bookkeeping (windows consumed, the state before the last window, …) as JSON.
ALTER TABLE alerts
  ADD COLUMN project_id text,
  ADD COLUMN model_id text,
  ADD COLUMN evaluation jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN updated_at timestamptz(3) NOT NULL DEFAULT now();
CREATE INDEX alerts_org_model_idx ON alerts (organization_id, model_id);

-- What each notification group of a team last sent, and what waits to be sent.
CREATE TABLE notification_groups (
  organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  team_id         text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  group_key       text NOT NULL,
  state           jsonb NOT NULL,
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, group_key)
);
CREATE INDEX notification_groups_organization_id_idx ON notification_groups (organization_id);

-- A delivery belongs to the team of its channel; deliveries still pending are swept.
ALTER TABLE notification_deliveries ADD COLUMN team_id text;
CREATE INDEX notification_deliveries_pending_idx ON notification_deliveries (created_at) WHERE status = 'pending';

CREATE INDEX alert_rules_enabled_idx ON alert_rules (organization_id) WHERE enabled;

CREATE OR REPLACE VIEW vigil_alerts AS
SELECT a.organization_id, o.slug AS workspace, t.slug AS team, r.name AS rule, a.id AS alert_id,
       a.fingerprint, a.labels, a.state, a.severity, a.value, a.started_at, a.resolved_at,
       a.acknowledged_at, a.project_id, p.slug AS project, a.model_id, m.slug AS model, r.definition ->> 'metric' AS metric
FROM alerts a
JOIN alert_rules r ON r.id = a.rule_id
JOIN teams t ON t.id = r.team_id
JOIN organizations o ON o.id = a.organization_id
LEFT JOIN projects p ON p.id = a.project_id
LEFT JOIN models m ON m.id = a.model_id;
