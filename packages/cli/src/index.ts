export { CliError } from './cli-error.js';
export { main } from './main.js';
export { readTable, type ReadOptions, type ReadResult } from './io/read-table.js';
export { renderHtmlReport, type HtmlReportMeta } from './render/html-report.js';
export { renderSummary } from './render/summary.js';
