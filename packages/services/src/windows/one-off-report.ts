import { MetricName, VigilError, type WindowReportQuery } from '@vigil/contracts';
import { getReferenceDataset, listModelColumns, metricSeries, modelSummary, selectedReadyReference, type Db } from '@vigil/db';
import type { DriftOptions, Report, Table } from '@vigil/metrics';
import { renderHtmlReport } from '@vigil/metrics/render';
import { pickVersion } from '../monitoring/series.js';
import { loadReferenceTable, loadWindowRows, type WindowRows } from './window-table.js';
import { buildWindowReport, withLabelColumn } from './window-report.js';

/** Most events a one-off report reads from each side: more would not fit the web process comfortably. */
export const MAX_REPORT_EVENTS = 1_000_000;

export interface OneOffReport {
  report: Report;
  html: string;
  /** A file name for the download: model, version and window. */
  filename: string;
}

/**
 * The report `vigil report` makes, for a window of a model's stored events against its reference
 * (or against another window): the same computation and the same self-contained HTML page.
 */
export async function modelWindowReport(db: Db, organizationId: string, modelId: string, q: WindowReportQuery, now = Date.now()): Promise<OneOffReport> {
  const t = db.forTenant(organizationId);
  const model = await modelSummary(t, modelId);
  const version = pickVersion(model, q.versionId);
  if (!version) throw new VigilError('NOT_FOUND', 'this model has no predictions yet');
  const columns = withLabelColumn((await listModelColumns(t, modelId)).map(({ role, name, kind }) => ({ role, name, kind })));
  const tenant = { organizationId, projectId: model.project.id };
  const window = async (from: number, to: number, versionIds: string[]): Promise<WindowRows> => {
    await refuseLarge(db, organizationId, modelId, versionIds, from, to);
    const parts = await Promise.all(versionIds.map((v) => loadWindowRows(db, tenant, columns, v, new Date(from), new Date(to))));
    return concatRows(parts);
  };
  const from = Date.parse(q.from);
  const to = Math.min(Date.parse(q.to), now + 3_600_000);
  const current = await window(from, to, [version.id]);
  if (current.rows === 0) throw new VigilError('NOT_FOUND', 'no predictions of this version in the window');

  let reference: Table;
  let referenceName: string;
  if (q.against === 'window') {
    const base = await window(Date.parse(q.baselineFrom!), Date.parse(q.baselineTo!), [version.id]);
    if (base.rows === 0) throw new VigilError('NOT_FOUND', 'no predictions of this version in the baseline window');
    reference = base.table;
    referenceName = `${version.name} ${q.baselineFrom} – ${q.baselineTo}`;
  } else {
    const selected = await selectedReadyReference(t, modelId, model.referenceConfig);
    if (!selected) throw new VigilError('CONFLICT', 'this model has no ready reference dataset: compare with a window instead');
    const ds = await getReferenceDataset(t, selected.id);
    if (ds.source === 'upload') {
      reference = (await loadReferenceTable(db, organizationId, ds.id, columns)).table;
    } else {
      // A reference built from events: the same events, read again.
      const range = { from: ds.rangeStart?.getTime() ?? 0, to: ds.rangeEnd?.getTime() ?? now };
      reference = (await window(range.from, range.to, model.versions.map((v) => v.id))).table;
    }
    referenceName = `reference "${ds.name}"`;
  }
  const report = buildWindowReport({ columns, drift: (model.driftConfig ?? {}) as DriftOptions }, reference, current);
  const currentName = `${model.name} (${version.name}) ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`;
  const html = renderHtmlReport(report, { reference: referenceName, current: currentName, generatedAt: new Date(now) });
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const filename = `vigil-${model.slug}-${version.name}-${stamp(from)}-${stamp(to)}.html`.replace(/[^\w.-]+/g, '_');
  return { report, html, filename };
}

/** Refuses a window that holds more events than a report reads (counted from its hour points, before any row is read). */
async function refuseLarge(db: Db, organizationId: string, modelId: string, versionIds: string[], from: number, to: number): Promise<void> {
  let events = 0;
  for (const modelVersionId of versionIds) {
    const counts = await metricSeries(db.pool, {
      organizationId,
      modelId,
      modelVersionId,
      metrics: [MetricName.predictionCount],
      columns: [''],
      segment: '',
      granularity: 'hour',
      from: from - (from % 3_600_000),
      to,
      bucketMs: Math.max(3_600_000, to - from + 3_600_000),
      aggregate: { [MetricName.predictionCount]: 'sum' },
    });
    events += counts.reduce((s, p) => s + p.value, 0);
  }
  if (events > MAX_REPORT_EVENTS) {
    throw new VigilError('PAYLOAD_TOO_LARGE', `the window holds about ${Math.round(events).toLocaleString('en')} predictions; a report reads at most ${MAX_REPORT_EVENTS.toLocaleString('en')}: pick a shorter window`);
  }
}

/** Several windows' rows as one (the versions of a reference built from events). */
function concatRows(parts: WindowRows[]): WindowRows {
  if (parts.length === 1) return parts[0]!;
  const table: Record<string, Float64Array | (string | null)[]> = {};
  for (const part of parts) {
    for (const [name, values] of Object.entries(part.table)) {
      const prev = table[name];
      if (values instanceof Float64Array) {
        const merged = new Float64Array((prev?.length ?? 0) + values.length);
        if (prev instanceof Float64Array) merged.set(prev);
        merged.set(values, prev?.length ?? 0);
        table[name] = merged;
      } else {
        table[name] = [...((prev as (string | null)[] | undefined) ?? []), ...(values as readonly (string | null)[])];
      }
    }
  }
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const labelled = parts.reduce((s, p) => s + p.labelled, 0);
  return { table, rows, tags: parts.flatMap((p) => p.tags), labelled, labelDelaySeconds: Number.NaN };
}

