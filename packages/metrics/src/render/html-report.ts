import type { ClassificationReport, ColumnReport, PerformanceReport, RegressionReport, Report } from '../index.js';
import { CURRENT_COLOR, distributionChart, REFERENCE_COLOR } from './charts.js';
import { escapeHtml as e } from './escape.js';
import { estimateSection, multivariateSection } from './estimates.js';
import { count, fmt, pct } from './format.js';

export interface HtmlReportMeta {
  reference: string;
  current: string;
  generatedAt: Date;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#0f172a;background:#f8fafc}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 12px}
.sub{color:#475569;margin:0 0 20px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:14px 16px}
.card .k{color:#64748b;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:22px;font-weight:600;margin-top:2px}
.card.bad{border-color:#fecaca;background:#fef2f2}.card.bad .v{color:#b91c1c}
.card.good .v{color:#15803d}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e2e8f0;border-radius:10px;overflow:hidden}
th,td{padding:7px 9px;text-align:left;border-bottom:1px solid #f1f5f9;white-space:nowrap}
th{background:#f1f5f9;font-size:12px;color:#475569;font-weight:600;white-space:normal}
.scroll{overflow-x:auto;border-radius:10px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.drifted td:first-child{box-shadow:inset 3px 0 #dc2626}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600}
.badge.drift{background:#fee2e2;color:#b91c1c}.badge.ok{background:#dcfce7;color:#15803d}.badge.na{background:#f1f5f9;color:#64748b}
.grid-charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(390px,1fr));gap:12px}
.chart-card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:10px 12px}
.chart-card h3{font-size:14px;margin:0 0 2px;display:flex;justify-content:space-between;gap:8px}
.chart-card .meta{color:#64748b;font-size:12px;margin-bottom:4px}
.chart{display:block;width:100%;height:auto}
.chart .grid{stroke:#e2e8f0}.chart .axis{stroke:#94a3b8}.chart .tick{font-size:10px;fill:#64748b}
.legend{display:flex;gap:16px;color:#475569;font-size:12px;margin:0 0 10px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.warn{background:#fffbeb;border:1px solid #fde68a;border-radius:10px;padding:10px 14px;color:#92400e}
.warn li{margin:2px 0}
.cm td{text-align:right}.cm th{text-align:right}
.perf{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px;align-items:start}
footer{color:#94a3b8;font-size:12px;margin-top:32px}
`;

function verdict(c: ColumnReport): string {
  if (!c.drift) return '<span class="badge na">n/a</span>';
  return c.drift.drifted ? '<span class="badge drift">drift</span>' : '<span class="badge ok">no drift</span>';
}

function columnRow(c: ColumnReport): string {
  const d = c.drift;
  const q = c.quality;
  const score = d?.pValueAdjusted ?? d?.score ?? null;
  const cells = [
    `<td>${e(c.name)}</td>`,
    `<td>${c.type}</td>`,
    `<td>${d ? e(d.test) : '–'}</td>`,
    `<td class="n">${fmt(score)}</td>`,
    `<td class="n">${d ? `${d.scoreKind === 'p_value' ? 'p &lt;' : '≥'} ${fmt(d.threshold)}` : '–'}</td>`,
    `<td>${verdict(c)}</td>`,
    `<td class="n">${fmt(c.divergences?.psi ?? null)}</td>`,
    `<td class="n">${fmt(c.divergences?.jensenShannon ?? null)}</td>`,
    `<td class="n">${pct(q.missingShare)}</td>`,
    `<td class="n">${count(q.distinct)}</td>`,
    `<td class="n">${c.type === 'numerical' ? `${fmt(q.mean)} ± ${fmt(q.std, 3)}` : '–'}</td>`,
    `<td class="n">${c.type === 'numerical' ? pct(q.outOfRangeShare) : pct(q.newCategoryShare)}</td>`,
  ];
  return `<tr class="${d?.drifted ? 'drifted' : ''}">${cells.join('')}</tr>`;
}

function chartCard(c: ColumnReport): string {
  const d = c.drift;
  const meta = d ? `${e(d.test)} ${fmt(d.pValueAdjusted ?? d.score)} (threshold ${fmt(d.threshold)})` : 'drift not computed';
  const chart = c.distribution ? distributionChart(c.distribution, `${c.name}: reference vs current distribution`) : '<p class="meta">no values to chart</p>';
  return `<section class="chart-card"><h3><span>${e(c.name)}</span>${verdict(c)}</h3><div class="meta">${c.type} · ${meta}</div>${chart}</section>`;
}

const CLASSIFICATION_ROWS: [string, keyof ClassificationReport][] = [
  ['Accuracy', 'accuracy'],
  ['Precision', 'precision'],
  ['Recall', 'recall'],
  ['F1', 'f1'],
  ['ROC AUC', 'rocAuc'],
  ['Log loss', 'logLoss'],
  ['Rows', 'rows'],
];
const REGRESSION_ROWS: [string, keyof RegressionReport][] = [
  ['MAE', 'mae'],
  ['RMSE', 'rmse'],
  ['MAPE', 'mape'],
  ['R²', 'r2'],
  ['Mean error', 'meanError'],
  ['Rows', 'rows'],
];

function metricValue(m: ClassificationReport | RegressionReport | undefined, key: string): string {
  if (!m) return '–';
  const v = (m as unknown as Record<string, unknown>)[key];
  if (typeof v !== 'number') return '–';
  return key === 'rows' ? count(v) : fmt(v);
}

function performanceSection(p: PerformanceReport): string {
  const rows = p.task === 'regression' ? REGRESSION_ROWS : CLASSIFICATION_ROWS;
  const averaged = p.task === 'multiclass' ? ' (macro averages)' : 'positiveLabel' in p.current ? ` (positive label ${e(String(p.current.positiveLabel))})` : '';
  const metrics = `<table><thead><tr><th>Metric${averaged}</th><th class="n">Current</th><th class="n">Reference</th></tr></thead><tbody>${rows
    .map(([label, key]) => `<tr><td>${label}</td><td class="n">${metricValue(p.current, key)}</td><td class="n">${metricValue(p.reference, key)}</td></tr>`)
    .join('')}</tbody></table>`;
  let side = '';
  if ('confusionMatrix' in p.current) {
    const c = p.current;
    const shown = c.labels.length <= 12;
    side = shown
      ? `<table class="cm"><thead><tr><th>true \\ predicted</th>${c.labels.map((l) => `<th>${e(String(l))}</th>`).join('')}</tr></thead><tbody>${c.confusionMatrix
          .map((row, i) => `<tr><th>${e(String(c.labels[i]))}</th>${row.map((v) => `<td>${count(v)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`
      : `<p class="meta">${c.labels.length} classes: confusion matrix in the JSON report.</p>`;
    if (c.perClass) {
      side += `<table style="margin-top:12px"><thead><tr><th>Class</th><th class="n">Precision</th><th class="n">Recall</th><th class="n">F1</th><th class="n">Support</th><th class="n">ROC AUC</th></tr></thead><tbody>${c.perClass
        .map(
          (k) =>
            `<tr><td>${e(String(k.label))}</td><td class="n">${fmt(k.precision)}</td><td class="n">${fmt(k.recall)}</td><td class="n">${fmt(k.f1)}</td><td class="n">${count(k.support)}</td><td class="n">${fmt(k.rocAuc)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
    }
  }
  return `<h2>Model performance · ${p.task}</h2><p class="sub">Target <b>${e(p.target)}</b>${p.prediction ? `, prediction <b>${e(p.prediction)}</b>` : ''}${
    p.scores ? `, scores <b>${p.scores.map(e).join(', ')}</b>` : ''
  }.</p><div class="perf"><div>${metrics}</div><div>${side}</div></div>`;
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG only (no script, font or
 * network request), sized by the number of columns and bins, never by the number of rows.
 */
export function renderHtmlReport(report: Report, meta: HtmlReportMeta): string {
  const d = report.dataset;
  const cards = [
    `<div class="card ${d.drifted ? 'bad' : 'good'}"><div class="k">Dataset drift</div><div class="v">${d.drifted ? 'Detected' : 'Not detected'}</div></div>`,
    `<div class="card"><div class="k">Drifted columns</div><div class="v">${d.driftedColumns} / ${d.columns}</div><div class="sub" style="margin:0">${pct(d.driftedShare)} · drift at ≥ ${pct(d.driftShare, 0)}</div></div>`,
    `<div class="card"><div class="k">Reference rows</div><div class="v">${count(report.reference.rows)}</div></div>`,
    `<div class="card"><div class="k">Current rows</div><div class="v">${count(report.current.rows)}</div></div>`,
  ];
  const header = `<tr><th>Column</th><th>Type</th><th>Test</th><th class="n">Score</th><th class="n">Threshold</th><th>Verdict</th><th class="n">PSI</th><th class="n">JS</th><th class="n">Missing</th><th class="n">Distinct</th><th class="n">Mean ± std</th><th class="n">Out of range / new</th></tr>`;
  const warnings =
    report.warnings.length > 0 ? `<h2>Notes</h2><ul class="warn">${report.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Vigil report: ${e(meta.current)} vs ${e(meta.reference)}</title><style>${CSS}</style></head>
<body><main>
<h1>Data drift report</h1>
<p class="sub">Current <b>${e(meta.current)}</b> compared with reference <b>${e(meta.reference)}</b> · generated ${e(meta.generatedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC</p>
<div class="cards">${cards.join('')}</div>
${report.performance ? performanceSection(report.performance) : ''}
${report.performanceEstimate ? estimateSection(report.performanceEstimate) : ''}
${report.multivariateDrift ? multivariateSection(report.multivariateDrift) : ''}
<h2>Columns</h2>
<p class="sub">Quality numbers describe the current data; out-of-range and new-category shares are against the reference.</p>
<div class="scroll"><table id="columns"><thead>${header}</thead><tbody>${report.columns.map(columnRow).join('')}</tbody></table></div>
<h2>Distributions</h2>
<div class="legend"><span><i style="background:${REFERENCE_COLOR}"></i>reference</span><span><i style="background:${CURRENT_COLOR}"></i>current</span><span>share of non-missing values per bin</span></div>
<div class="grid-charts">${report.columns.map(chartCard).join('')}</div>
${warnings}
<footer>Vigil · drift tests and binning as documented in docs/cli.md and docs/metrics.md</footer>
</main></body></html>
`;
}
