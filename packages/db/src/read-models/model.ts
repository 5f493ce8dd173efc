import { VigilError } from '@vigil/contracts';
import type { TenantDb } from '../tenant.js';

export interface ModelSummary {
  id: string;
  slug: string;
  name: string;
  task: string | null;
  segmentTags: string[];
  driftConfig: unknown;
  referenceConfig: unknown;
  createdAt: Date;
  project: { id: string; name: string; slug: string; teamId: string };
  team: { id: string; name: string };
  /** Newest activity first; `lastEventAt` null before anything was streamed. */
  versions: { id: string; name: string; createdAt: Date; lastEventAt: Date | null; eventsMerged: number }[];
}

/** A model of the workspace with its project, team and versions, or NOT_FOUND. */
export async function modelSummary(t: TenantDb, modelId: string): Promise<ModelSummary> {
  const m = await t.model.findUnique({
    where: { id: modelId },
    select: {
      id: true,
      slug: true,
      name: true,
      task: true,
      segmentTags: true,
      driftConfig: true,
      referenceConfig: true,
      createdAt: true,
      project: { select: { id: true, name: true, slug: true, teamId: true, team: { select: { id: true, name: true } } } },
      versions: { select: { id: true, name: true, createdAt: true } },
    },
  });
  if (!m) throw new VigilError('NOT_FOUND', 'model not found');
  const streams = await t.streamState.findMany({
    where: { modelVersionId: { in: m.versions.map((v) => v.id) } },
    select: { modelVersionId: true, lastEventAt: true, eventsMerged: true },
  });
  const streamOf = new Map(streams.map((s) => [s.modelVersionId, s]));
  const versions = m.versions
    .map((v) => ({ ...v, lastEventAt: streamOf.get(v.id)?.lastEventAt ?? null, eventsMerged: Number(streamOf.get(v.id)?.eventsMerged ?? 0) }))
    .sort((a, b) => (b.lastEventAt?.getTime() ?? -1) - (a.lastEventAt?.getTime() ?? -1) || b.createdAt.getTime() - a.createdAt.getTime());
  const { team, ...project } = m.project;
  return { ...m, project, team, versions };
}

export interface AlertHistoryItem {
  alertId: string;
  rule: { id: string; name: string };
  fingerprint: string;
  column: string;
  segment: string;
  from: string;
  to: string;
  severity: string | null;
  value: number | null;
  at: Date;
}

/** State changes of a model's alerts, of rules of the given teams, newest first. */
export async function modelAlertHistory(t: TenantDb, teamIds: readonly string[], modelId: string, limit = 100): Promise<AlertHistoryItem[]> {
  const alerts = await t.alert.findMany({
    where: { modelId, rule: { teamId: { in: [...teamIds] } } },
    select: { id: true, fingerprint: true, labels: true, rule: { select: { id: true, name: true } } },
  });
  if (alerts.length === 0) return [];
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const events = await t.alertEvent.findMany({
    where: { alertId: { in: alerts.map((a) => a.id) } },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return events.map((e) => {
    const a = byId.get(e.alertId)!;
    const labels = a.labels as { column?: string; segment?: string };
    return {
      alertId: a.id,
      rule: a.rule,
      fingerprint: a.fingerprint,
      column: labels.column ?? '',
      segment: labels.segment ?? '',
      from: e.fromState,
      to: e.toState,
      severity: e.severity,
      value: e.value,
      at: e.at,
    };
  });
}
