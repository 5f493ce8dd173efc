/*
 * The report as people read it: a self-contained HTML page (no network request, charts as inline
 * SVG) and a plain-text summary. `vigil report` writes both; the web app serves the same page
 * for any window of a model.
 */
export { renderHtmlReport, type HtmlReportMeta } from './html-report.js';
export { renderSummary } from './summary.js';
