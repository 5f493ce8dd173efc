/** Series colours: distinct, readable on white, in the order series are drawn. */
export const PALETTE = ['#3b5bdb', '#e8590c', '#2b8a3e', '#ae3ec9', '#0c8599', '#c92a2a', '#5f3dc4', '#a87a00', '#1864ab', '#d6336c'];
export const REFERENCE_COLOR = '#94a3b8';
export const CURRENT_COLOR = '#3b5bdb';
export const THRESHOLD_COLOR = '#c92a2a';
/** Banded charts: the band around the main line, the line drawn on top, flagged buckets. */
export const BAND_COLOR = '#3b5bdb';
export const OVERLAY_COLOR = '#e8590c';
export const FLAG_COLOR = '#e03131';

/** The nivo theme of every chart: the app's font and muted axes. */
export const CHART_THEME = {
  text: { fontFamily: "'DejaVu Sans', system-ui, sans-serif", fontSize: 11, fill: '#5b6270' },
  axis: { ticks: { text: { fontSize: 11, fill: '#5b6270' }, line: { stroke: '#c9ced8' } }, domain: { line: { stroke: '#c9ced8' } } },
  grid: { line: { stroke: '#eef0f4' } },
  tooltip: { container: { fontSize: 12, borderRadius: 6 } },
} as const;
