import type { DistributionReport } from '../index.js';
import { escapeHtml } from './escape.js';
import { fmt, pct } from './format.js';

const W = 420;
const H = 190;
const PAD = { left: 40, right: 8, top: 10, bottom: 46 };
export const REFERENCE_COLOR = '#94a3b8';
export const CURRENT_COLOR = '#2563eb';

function shorten(label: string, max = 10): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * Reference-vs-current shares as grouped bars in inline SVG (no script, no external
 * resource): one group per histogram bin or category, "other" last when categories were cut.
 */
export function distributionChart(d: DistributionReport, title: string): string {
  const labels: string[] = [];
  const ref: number[] = [];
  const cur: number[] = [];
  if (d.kind === 'histogram') {
    for (let i = 0; i < d.reference.length; i++) {
      labels.push(`${fmt(d.edges[i]!, 3)} – ${fmt(d.edges[i + 1]!, 3)}`);
      ref.push(d.reference[i]!);
      cur.push(d.current[i]!);
    }
  } else {
    labels.push(...d.categories);
    ref.push(...d.reference);
    cur.push(...d.current);
    if (d.other) {
      labels.push('(other)');
      ref.push(d.other.reference);
      cur.push(d.other.current);
    }
  }
  const k = labels.length;
  const max = Math.max(1e-12, ...ref, ...cur);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const group = plotW / Math.max(k, 1);
  const bar = Math.max(1, Math.min(18, (group * 0.8) / 2));
  const y = (v: number): number => PAD.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeHtml(title)}">`);
  for (const t of [0, 0.5, 1]) {
    const yy = y(max * t).toFixed(1);
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${yy}" y2="${yy}" class="grid"/>`);
    parts.push(`<text x="${PAD.left - 4}" y="${yy}" class="tick" text-anchor="end" dominant-baseline="middle">${pct(max * t, 0)}</text>`);
  }
  for (let i = 0; i < k; i++) {
    const x0 = PAD.left + i * group + (group - 2 * bar) / 2;
    const tip = `${labels[i]}: reference ${pct(ref[i]!, 2)}, current ${pct(cur[i]!, 2)}`;
    parts.push(`<g><title>${escapeHtml(tip)}</title>`);
    parts.push(`<rect x="${x0.toFixed(1)}" y="${y(ref[i]!).toFixed(1)}" width="${bar.toFixed(1)}" height="${(PAD.top + plotH - y(ref[i]!)).toFixed(1)}" fill="${REFERENCE_COLOR}"/>`);
    parts.push(`<rect x="${(x0 + bar).toFixed(1)}" y="${y(cur[i]!).toFixed(1)}" width="${bar.toFixed(1)}" height="${(PAD.top + plotH - y(cur[i]!)).toFixed(1)}" fill="${CURRENT_COLOR}"/>`);
    parts.push('</g>');
  }
  const axisY = PAD.top + plotH;
  parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${axisY}" y2="${axisY}" class="axis"/>`);
  if (d.kind === 'histogram') {
    // Edge values under the first, middle and last bin boundaries.
    for (const i of [...new Set([0, Math.round(k / 2), k])]) {
      const x = PAD.left + i * group;
      const anchor = i === 0 ? 'start' : i === k ? 'end' : 'middle';
      parts.push(`<text x="${x.toFixed(1)}" y="${axisY + 14}" class="tick" text-anchor="${anchor}">${escapeHtml(fmt(d.edges[i]!, 3))}</text>`);
    }
  } else {
    const step = Math.ceil(k / 12);
    for (let i = 0; i < k; i += step) {
      const x = PAD.left + (i + 0.5) * group;
      parts.push(
        `<text x="${x.toFixed(1)}" y="${axisY + 10}" class="tick" text-anchor="end" transform="rotate(-35 ${x.toFixed(1)} ${axisY + 10})">${escapeHtml(shorten(labels[i]!))}</text>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}
