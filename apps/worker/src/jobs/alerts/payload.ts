import type { Notification, NotifiableAlert } from '@vigil/alerting';
import type { AlertRuleDefinition } from '@vigil/contracts';

/**
 * What a delivery sends, fixed when the notification is planned (stored with the delivery,
 * so a retry a day later sends the same message). The webhook body is this object plus the
 * delivery id and send time; Slack, email and PagerDuty render it.
 */
export interface NotificationPayload {
  version: 1;
  kind: 'firing' | 'resolved' | 'repeat' | 'test';
  /** `resolved` for resolve notifications, else `firing`. */
  status: 'firing' | 'resolved';
  groupKey: string;
  groupLabels: Record<string, string>;
  workspace: { id: string; name: string; slug: string };
  team: { id: string; name: string };
  alerts: PayloadAlert[];
}

export interface PayloadAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  severity: 'warning' | 'critical' | null;
  rule: { id: string; name: string };
  metric: string;
  granularity: string;
  /** The rule's condition in words, e.g. "> 0.2 (critical), > 0.1 (warning)". */
  condition: string;
  value: number | null;
  model: { id: string; slug: string; name: string } | null;
  project: { id: string; slug: string } | null;
  version: string;
  column: string;
  segment: string;
  startedAt: string | null;
  url: string;
}

export interface PayloadContext {
  workspace: NotificationPayload['workspace'];
  team: NotificationPayload['team'];
  rules: ReadonlyMap<string, AlertRuleDefinition>;
  models: ReadonlyMap<string, { id: string; slug: string; name: string; projectId: string }>;
  projects: ReadonlyMap<string, { id: string; slug: string }>;
  versions: ReadonlyMap<string, string>;
  webUrl: string;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4))));

export function describeCondition(def: AlertRuleDefinition): string {
  const { op, threshold: t } = def.condition;
  const parts: string[] = [];
  const both = (w: string | undefined, c: string | undefined) => {
    if (c !== undefined) parts.push(`${c} (critical)`);
    if (w !== undefined) parts.push(`${w} (warning)`);
  };
  switch (t.kind) {
    case 'fixed':
      both(t.warning !== undefined ? `${op} ${fmt(t.warning)}` : undefined, t.critical !== undefined ? `${op} ${fmt(t.critical)}` : undefined);
      break;
    case 'band':
      both(t.warning ? `outside [${fmt(t.warning.low)}, ${fmt(t.warning.high)}]` : undefined, t.critical ? `outside [${fmt(t.critical.low)}, ${fmt(t.critical.high)}]` : undefined);
      break;
    case 'stddev':
      both(t.k.warning !== undefined ? `${op} ${fmt(t.k.warning)}σ from the trailing mean` : undefined, t.k.critical !== undefined ? `${op} ${fmt(t.k.critical)}σ from the trailing mean` : undefined);
      break;
    case 'percent_change':
      both(t.warning !== undefined ? `${op} ${fmt(t.warning)} % change` : undefined, t.critical !== undefined ? `${op} ${fmt(t.critical)} % change` : undefined);
      break;
    case 'drift_verdict':
      parts.push("the drift test's verdict");
      break;
  }
  return parts.join(', ');
}

export function buildPayload(n: Notification, ctx: PayloadContext, alerts: readonly NotifiableAlert[] = n.alerts): NotificationPayload {
  const status = n.kind === 'resolved' ? 'resolved' : 'firing';
  return {
    version: 1,
    kind: n.kind,
    status,
    groupKey: n.groupKey,
    groupLabels: { ...n.groupLabels },
    workspace: ctx.workspace,
    team: ctx.team,
    alerts: alerts.map((a) => {
      const def = ctx.rules.get(a.ruleId);
      const model = ctx.models.get(a.labels.model) ?? null;
      const project = model ? (ctx.projects.get(model.projectId) ?? null) : null;
      return {
        fingerprint: a.fingerprint,
        status,
        severity: a.severity,
        rule: { id: a.ruleId, name: a.ruleName },
        metric: a.metric,
        granularity: def?.granularity ?? '',
        condition: def ? describeCondition(def) : '',
        value: a.value,
        model: model ? { id: model.id, slug: model.slug, name: model.name } : null,
        project,
        version: ctx.versions.get(a.labels.version) ?? a.labels.version,
        column: a.labels.column,
        segment: a.labels.segment,
        startedAt: a.startedAt === null ? null : new Date(a.startedAt).toISOString(),
        url: `${ctx.webUrl.replace(/\/$/, '')}/alerts?fingerprint=${a.fingerprint}`,
      };
    }),
  };
}

/** The message a test notification sends. */
export function testPayload(ctx: Pick<PayloadContext, 'workspace' | 'team' | 'webUrl'>): NotificationPayload {
  return {
    version: 1,
    kind: 'test',
    status: 'firing',
    groupKey: 'test',
    groupLabels: {},
    workspace: ctx.workspace,
    team: ctx.team,
    alerts: [
      {
        fingerprint: '0000000000000000',
        status: 'firing',
        severity: 'warning',
        rule: { id: 'test', name: 'Test notification' },
        metric: 'drift_score',
        granularity: 'hour',
        condition: 'a test from Vigil: nothing is wrong',
        value: 0,
        model: null,
        project: null,
        version: '',
        column: '',
        segment: '',
        startedAt: new Date().toISOString(),
        url: `${ctx.webUrl.replace(/\/$/, '')}/alerts`,
      },
    ],
  };
}

/** One line per alert, for chat and mail. */
export function alertLine(a: PayloadAlert): string {
  const where = [a.model?.slug ?? a.model?.name, a.column || null, a.segment || null].filter(Boolean).join(' · ');
  const value = a.value === null ? 'no data' : fmt(a.value);
  return `${a.severity ? `[${a.severity}] ` : ''}${a.rule.name}: ${a.metric}${where ? ` on ${where}` : ''} = ${value}${a.condition ? ` (alerts at ${a.condition})` : ''}`;
}

export function title(p: NotificationPayload): string {
  const what = p.kind === 'test' ? 'TEST' : p.status === 'resolved' ? 'RESOLVED' : p.kind === 'repeat' ? 'STILL FIRING' : 'FIRING';
  const models = [...new Set(p.alerts.map((a) => a.model?.slug).filter(Boolean))];
  return `[${what}${p.alerts.length > 1 ? `:${p.alerts.length}` : ''}] ${models.length > 0 ? models.join(', ') : p.workspace.name} — ${p.alerts[0]?.rule.name ?? ''}`;
}
