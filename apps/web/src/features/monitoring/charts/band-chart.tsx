'use client';

import type { ReactNode } from 'react';
import { ResponsiveLine, type LineCustomSvgLayerProps, type LineSeries } from '@nivo/line';
import { bucketLabel, num } from '../format';
import { BAND_COLOR, CHART_THEME, CURRENT_COLOR, FLAG_COLOR, OVERLAY_COLOR, THRESHOLD_COLOR } from './palette';
import { shareDigits, tickLabel, TICK_WIDTH, timeTicks, useWidth } from './time-series';

/** One bucket of a banded chart; every part but `t` may be missing. */
export interface BandDatum {
  t: number;
  /** The main line (an estimate, a reconstruction error). */
  value: number | null;
  /** The shaded band around it. */
  lower?: number | null;
  upper?: number | null;
  /** A band drawn as two dashed lines (the reference band, the drift thresholds). */
  refLower?: number | null;
  refUpper?: number | null;
  /** A second line drawn on top (the realized metric), hollow where `overlayProvisional`. */
  overlay?: number | null;
  overlayProvisional?: boolean;
  /** A bucket to point out (a drifted window): a tinted column and a red point. */
  flagged?: boolean;
}

export interface BandLegend {
  value: string;
  band?: string;
  reference?: string;
  overlay?: string;
  flagged?: string;
}

type Key = 'value' | 'overlay' | 'refLower' | 'refUpper' | 'lower' | 'upper';
interface Datum {
  x: number;
  y: number | null;
}
type Series = LineSeries & { id: Key; data: Datum[] };

const DRAWN: Record<Key, { color: string; width: number; dash?: string } | null> = {
  value: { color: CURRENT_COLOR, width: 2 },
  overlay: { color: OVERLAY_COLOR, width: 2 },
  refLower: { color: THRESHOLD_COLOR, width: 1.5, dash: '5 4' },
  refUpper: { color: THRESHOLD_COLOR, width: 1.5, dash: '5 4' },
  // The band's edges are drawn by the band itself.
  lower: null,
  upper: null,
};

/** Up to this many realized values are drawn as points as well as a line. */
const MAX_DOTS = 60;

/** Every bucket of [from, to), with the data where there is some. */
export function fillBuckets(points: readonly BandDatum[], from: number, to: number, bucketMs: number): BandDatum[] {
  const byT = new Map(points.map((p) => [p.t, p]));
  const out: BandDatum[] = [];
  for (let t = from; t < to; t += bucketMs) out.push(byT.get(t) ?? { t, value: null });
  return out;
}

/** Closed paths of the band over each run of buckets that have both edges. */
function bandPaths(data: readonly BandDatum[], x: (v: number) => number, y: (v: number) => number): string[] {
  const paths: string[] = [];
  let run: BandDatum[] = [];
  const close = () => {
    if (run.length === 0) return;
    // A lone bucket gets a sliver a few pixels wide, so it still shows.
    const pts = run.length === 1 ? [{ ...run[0]!, dx: -3 }, { ...run[0]!, dx: 3 }] : run.map((d) => ({ ...d, dx: 0 }));
    const top = pts.map((d) => `${x(d.t) + d.dx},${y(d.upper!)}`);
    const bottom = pts.map((d) => `${x(d.t) + d.dx},${y(d.lower!)}`).reverse();
    paths.push(`M${top.join('L')}L${bottom.join('L')}Z`);
    run = [];
  };
  for (const d of data) {
    if (d.lower !== null && d.lower !== undefined && d.upper !== null && d.upper !== undefined) run.push(d);
    else close();
  }
  close();
  return paths;
}

/**
 * A value over time with a shaded band around it, a reference band as dashed lines, a second
 * line drawn on top and flagged buckets marked: the estimated performance (CBPE) against the
 * realized one, the reconstruction error against its thresholds.
 */
export function BandChart({
  data,
  bucketMs,
  legend,
  tooltip,
  height = 240,
  yMin,
  yMax,
  share = false,
  label,
  testId,
}: {
  /** Every bucket of the range, in time order (`fillBuckets`). */
  data: BandDatum[];
  bucketMs: number;
  legend: BandLegend;
  /** The tooltip's lines for one bucket. */
  tooltip: (d: BandDatum) => ReactNode;
  height?: number;
  yMin?: number;
  yMax?: number;
  share?: boolean;
  label: string;
  testId: string;
}) {
  const [ref, width] = useWidth();
  const byT = new Map(data.map((d) => [d.t, d]));
  const keys: Key[] = ['lower', 'upper', 'refLower', 'refUpper', 'value', 'overlay'];
  const series: Series[] = keys
    .filter((k) => data.some((d) => d[k] !== null && d[k] !== undefined))
    .map((k) => ({ id: k, data: data.map((d) => ({ x: d.t, y: d[k] ?? null })) }));
  const xs = data.map((d) => d.t);
  const top = yMax ?? Math.max(0, ...data.flatMap((d) => [d.value, d.upper, d.refUpper, d.overlay].map((v) => v ?? 0)));
  const axisFormat = share ? (v: number) => `${(v * 100).toFixed(shareDigits(top))} %` : num;
  const x = timeTicks(xs[0] ?? 0, xs.at(-1) ?? 0, Math.floor((width - 68) / TICK_WIDTH) || 4);
  const has = (k: keyof BandDatum) => data.some((d) => d[k] !== null && d[k] !== undefined && d[k] !== false);
  const flagged = data.filter((d) => d.flagged);
  const bandBuckets = data.filter((d) => d.lower !== null && d.lower !== undefined && d.upper !== null && d.upper !== undefined).length;

  /** Tinted columns behind the flagged buckets. */
  const FlagLayer = ({ xScale, innerHeight }: LineCustomSvgLayerProps<Series>) => {
    const step = Math.max(4, (xScale(bucketMs) as number) - (xScale(0) as number));
    return (
      <g>
        {flagged.map((d) => (
          <rect key={d.t} x={(xScale(d.t) as number) - step / 2} width={step} y={0} height={innerHeight} fill={FLAG_COLOR} fillOpacity={0.1} data-flagged-bucket={d.t} />
        ))}
      </g>
    );
  };
  const BandLayer = ({ xScale, yScale }: LineCustomSvgLayerProps<Series>) => (
    <g data-band="true">
      {bandPaths(data, (v) => xScale(v) as number, (v) => yScale(v) as number).map((d, i) => (
        <path key={i} d={d} fill={BAND_COLOR} fillOpacity={0.18} stroke={BAND_COLOR} strokeOpacity={0.35} strokeWidth={1} />
      ))}
    </g>
  );
  const LinesLayer = ({ series: computed, lineGenerator }: LineCustomSvgLayerProps<Series>) => (
    <g>
      {computed.map((s) => {
        const style = DRAWN[s.id];
        if (!style) return null;
        const d = lineGenerator(s.data.map((p) => p.position));
        return d ? <path key={s.id} d={d} fill="none" stroke={style.color} strokeWidth={style.width} strokeDasharray={style.dash} data-line={s.id} /> : null;
      })}
    </g>
  );
  const overlayBuckets = data.filter((d) => d.overlay !== null && d.overlay !== undefined).length;
  /** A value no line reaches: neither neighbour has one. */
  const lone = (i: number, k: 'value' | 'overlay') => (data[i - 1]?.[k] ?? null) === null && (data[i + 1]?.[k] ?? null) === null;
  /**
   * Points: the flagged buckets' values in red, values no line reaches, and the realized values
   * where they are few enough to read as points (always hollow where they rest on few labels).
   */
  const PointsLayer = ({ xScale, yScale }: LineCustomSvgLayerProps<Series>) => (
    <g>
      {data.map((d, i) => {
        const cx = xScale(d.t) as number;
        const overlayDot = d.overlay !== null && d.overlay !== undefined && (overlayBuckets <= MAX_DOTS || d.overlayProvisional || lone(i, 'overlay'));
        return (
          <g key={d.t}>
            {d.value !== null && (d.flagged || lone(i, 'value')) ? (
              <circle cx={cx} cy={yScale(d.value) as number} r={d.flagged ? 4.5 : 3} fill={d.flagged ? FLAG_COLOR : CURRENT_COLOR} stroke="white" strokeWidth={1} data-drifted={d.flagged ? 'true' : undefined} />
            ) : null}
            {overlayDot ? (
              <circle
                cx={cx}
                cy={yScale(d.overlay!) as number}
                r={3.5}
                fill={d.overlayProvisional ? 'white' : OVERLAY_COLOR}
                stroke={OVERLAY_COLOR}
                strokeWidth={1.5}
                data-realized="true"
                data-provisional={d.overlayProvisional ? 'true' : undefined}
              />
            ) : null}
          </g>
        );
      })}
    </g>
  );

  return (
    <div className="chart-frame">
      <div className="chart-legend">
        <span>
          <i style={{ background: CURRENT_COLOR }} /> {legend.value}
        </span>
        {legend.band && has('lower') ? (
          <span>
            <i className="chart-legend__band" style={{ background: BAND_COLOR }} /> {legend.band}
          </span>
        ) : null}
        {legend.overlay && has('overlay') ? (
          <span>
            <i style={{ background: OVERLAY_COLOR }} /> {legend.overlay}
          </span>
        ) : null}
        {legend.reference && (has('refLower') || has('refUpper')) ? (
          <span>
            <i className="chart-legend__dash" style={{ borderColor: THRESHOLD_COLOR }} /> {legend.reference}
          </span>
        ) : null}
        {legend.flagged && flagged.length > 0 ? (
          <span>
            <i style={{ background: FLAG_COLOR, borderRadius: '50%' }} /> {legend.flagged}
          </span>
        ) : null}
        {data.some((d) => d.overlayProvisional) ? (
          <span>
            <i className="chart-legend__ring" style={{ borderColor: OVERLAY_COLOR }} /> fewer than 30 labels
          </span>
        ) : null}
      </div>
      <div
        ref={ref}
        className="chart"
        style={{ height }}
        role="img"
        aria-label={label}
        data-testid={testId}
        data-points={xs.length}
        data-band-buckets={bandBuckets}
        data-overlay-buckets={overlayBuckets}
        data-flagged-buckets={flagged.length}
      >
        <ResponsiveLine<Series>
          data={series}
          margin={{ top: 12, right: 16, bottom: 34, left: 52 }}
          xScale={{ type: 'linear', min: xs[0] ?? 'auto', max: xs.at(-1) ?? 'auto' }}
          yScale={{ type: 'linear', min: yMin ?? 'auto', max: yMax ?? 'auto', nice: true }}
          axisBottom={{ tickValues: x.values, format: (v: number) => tickLabel(v, x.step), tickSize: 4 }}
          axisLeft={{ tickValues: 5, format: (v: number) => axisFormat(v), tickSize: 4 }}
          gridXValues={x.values}
          gridYValues={5}
          enableSlices="x"
          sliceTooltip={({ slice }) => {
            const d = byT.get(Number(slice.points[0]?.data.x ?? 0));
            return d ? (
              <div className="chart-tooltip">
                <strong>{bucketLabel(d.t, bucketMs)} UTC</strong>
                {tooltip(d)}
              </div>
            ) : null;
          }}
          layers={['grid', FlagLayer, 'axes', BandLayer, LinesLayer, PointsLayer, 'slices']}
          theme={CHART_THEME}
          animate={false}
        />
      </div>
    </div>
  );
}
