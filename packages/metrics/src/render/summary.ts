import type { ClassificationReport, RegressionReport, Report } from '../index.js';
import { estimateSummaryLines } from './estimates.js';
import { count, fmt, pct } from './format.js';

function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function performanceLines(label: string, m: ClassificationReport | RegressionReport): string {
  if ('mae' in m) {
    return `  ${label.padEnd(9)} MAE ${fmt(m.mae)}  RMSE ${fmt(m.rmse)}  MAPE ${fmt(m.mape)}  R² ${fmt(m.r2)}  mean error ${fmt(m.meanError)}  (${count(m.rows)} rows)`;
  }
  return `  ${label.padEnd(9)} accuracy ${fmt(m.accuracy)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}  F1 ${fmt(m.f1)}  ROC AUC ${fmt(m.rocAuc)}  log loss ${fmt(m.logLoss)}  (${count(m.rows)} rows)`;
}

/** The plain-text summary printed on stdout. */
export function renderSummary(report: Report, names: { reference: string; current: string }): string {
  const out: string[] = [];
  out.push(`Reference ${names.reference}: ${count(report.reference.rows)} rows · current ${names.current}: ${count(report.current.rows)} rows`);
  out.push('');
  const rows = report.columns.map((c) => [
    c.name,
    c.type,
    c.drift?.test ?? '–',
    fmt(c.drift?.pValueAdjusted ?? c.drift?.score ?? null),
    c.drift ? `${c.drift.scoreKind === 'p_value' ? '<' : '≥'} ${fmt(c.drift.threshold)}` : '–',
    c.drift ? (c.drift.drifted ? 'DRIFT' : 'ok') : 'n/a',
    fmt(c.divergences?.psi ?? null),
    pct(c.quality.missingShare),
    c.type === 'numerical' ? pct(c.quality.outOfRangeShare) : pct(c.quality.newCategoryShare),
  ]);
  out.push(table(['column', 'type', 'test', 'score', 'threshold', 'drift', 'PSI', 'missing', 'out of range / new'], rows, new Set([3, 6, 7, 8])));
  out.push('');
  const d = report.dataset;
  out.push(
    `Dataset drift: ${d.drifted ? 'YES' : 'no'} — ${d.driftedColumns} of ${d.columns} columns drifted (${pct(d.driftedShare)}; dataset drifts at ≥ ${pct(d.driftShare, 0)})`,
  );
  const p = report.performance;
  if (p) {
    out.push('');
    out.push(`Performance (${p.task}, target ${p.target}):`);
    out.push(performanceLines('current', p.current));
    if (p.reference) out.push(performanceLines('reference', p.reference));
  }
  out.push(...estimateSummaryLines(report.performanceEstimate, report.multivariateDrift));
  if (report.warnings.length > 0) {
    out.push('');
    for (const w of report.warnings) out.push(`warning: ${w}`);
  }
  return out.join('\n') + '\n';
}
