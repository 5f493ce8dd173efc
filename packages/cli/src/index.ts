export { CliError } from './cli-error.js';
export { main } from './main.js';
export { readTable, type ReadOptions, type ReadResult } from './io/read-table.js';
export { renderHtmlReport, renderSummary, type HtmlReportMeta } from '@vigil/metrics/render';
