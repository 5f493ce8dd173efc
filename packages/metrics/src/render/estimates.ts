import type { EstimatedMetricReport, MultivariateDriftReport, PerformanceEstimateReport } from '../index.js';
import { CURRENT_COLOR, REFERENCE_COLOR } from './charts.js';
import { escapeHtml as e } from './escape.js';
import { count, fmt } from './format.js';

const band = (m: EstimatedMetricReport): string => `${fmt(m.lower)} – ${fmt(m.upper)}`;

/** Plain-text lines of the summary for the estimate and the multivariate drift. */
export function estimateSummaryLines(p: PerformanceEstimateReport | undefined, m: MultivariateDriftReport | undefined): string[] {
  const out: string[] = [];
  if (p) {
    const x = p.metrics;
    out.push('', `Estimated performance (CBPE, ${p.task}${p.task === 'multiclass' ? ', macro' : ''}, ${count(p.rows)} rows, no labels read):`);
    out.push(`  accuracy ${fmt(x.accuracy.value)} [${band(x.accuracy)}]  F1 ${fmt(x.f1.value)} [${band(x.f1)}]  precision ${fmt(x.precision.value)}  recall ${fmt(x.recall.value)}${x.specificity ? `  specificity ${fmt(x.specificity.value)}` : ''}  ROC AUC ${fmt(x.rocAuc.value)}`);
  }
  if (m) {
    out.push('', `Multivariate drift (PCA reconstruction, ${m.components} components, ${fmt(m.explainedVariance * 100, 3)}% variance): ${m.drifted ? 'YES' : 'no'}`);
    out.push(`  current error ${fmt(m.current.error)} ± ${fmt(m.current.samplingError)}; reference thresholds [${fmt(m.lower)}, ${fmt(m.upper)}] from ${m.referenceChunkErrors.length} chunks of ${count(m.chunkSize)} rows`);
  }
  return out;
}

/** The estimate as an HTML table with each band. */
export function estimateSection(p: PerformanceEstimateReport): string {
  const x = p.metrics;
  const rows: [string, EstimatedMetricReport | { value: number | null } | undefined][] = [
    ['Accuracy', x.accuracy],
    ['F1', x.f1],
    ['Precision', x.precision],
    ['Recall', x.recall],
    ['Specificity', x.specificity],
    ['ROC AUC', x.rocAuc],
  ];
  const body = rows
    .filter((r): r is [string, EstimatedMetricReport | { value: number | null }] => r[1] !== undefined)
    .map(([label, m]) => {
      const b = 'lower' in m ? `${fmt(m.lower)} – ${fmt(m.upper)}` : '–';
      const se = 'samplingError' in m ? fmt(m.samplingError) : '–';
      return `<tr><td>${label}</td><td class="n">${fmt(m.value)}</td><td class="n">${se}</td><td class="n">${b}</td></tr>`;
    })
    .join('');
  return `<h2>Estimated performance · CBPE · ${p.task}</h2><p class="sub">Estimated from the current predictions and calibrated scores alone (isotonic calibration on the labelled reference; ${count(p.rows)} rows${
    p.task === 'multiclass' ? '; macro averages' : ''
  }). The band is the estimate ± 3 sampling errors.</p><table id="performance-estimate"><thead><tr><th>Metric</th><th class="n">Estimate</th><th class="n">Sampling error</th><th class="n">Band</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** Reference chunk errors, the thresholds and the current error as an inline SVG, plus the verdict. */
export function multivariateSection(m: MultivariateDriftReport): string {
  const W = 640;
  const H = 200;
  const pad = { left: 48, right: 12, top: 12, bottom: 28 };
  const values = [...m.referenceChunkErrors, m.lower, m.upper, m.current.error ?? m.upper];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const y = (v: number): number => pad.top + (H - pad.top - pad.bottom) * (1 - (v - lo + span * 0.05) / (span * 1.1));
  const n = m.referenceChunkErrors.length + 1;
  const x = (i: number): number => pad.left + ((W - pad.left - pad.right) * (i + 0.5)) / n;
  const points = m.referenceChunkErrors.map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${REFERENCE_COLOR}"><title>reference chunk ${i + 1}: ${fmt(v)}</title></circle>`).join('');
  const current =
    m.current.error === null
      ? ''
      : `<circle cx="${x(n - 1).toFixed(1)}" cy="${y(m.current.error).toFixed(1)}" r="5" fill="${m.drifted ? '#dc2626' : CURRENT_COLOR}"><title>current: ${fmt(m.current.error)}</title></circle>`;
  const line = (v: number, label: string): string =>
    `<line x1="${pad.left}" x2="${W - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#f59e0b" stroke-dasharray="4 3"/><text x="4" y="${(y(v) + 4).toFixed(1)}" font-size="10">${label} ${fmt(v, 3)}</text>`;
  const svg = `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Reconstruction error of reference chunks and current data with thresholds">${line(m.upper, 'upper')}${line(m.lower, 'lower')}${points}${current}</svg>`;
  return `<h2>Multivariate drift · PCA reconstruction error</h2><p class="sub">${m.drifted ? '<b>Drift detected</b>' : 'No drift'}: current error ${fmt(m.current.error)} ± ${fmt(
    m.current.samplingError,
  )} against thresholds ${fmt(m.lower)} – ${fmt(m.upper)} (mean ± 3 std of ${m.referenceChunkErrors.length} reference chunks of ${count(m.chunkSize)} rows); ${m.components} components explain ${fmt(
    m.explainedVariance * 100,
    3,
  )}% of the variance of ${m.columns.map(e).join(', ')}.</p><div id="multivariate-drift">${svg}</div>`;
}
