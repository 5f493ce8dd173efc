'use client';

import { useCallback, useState } from 'react';
import { ResponsiveLine, type LineCustomSvgLayerProps, type LineSeries } from '@nivo/line';
import { bucketLabel, num, pct } from '../format';
import { CHART_THEME, PALETTE, THRESHOLD_COLOR } from './palette';

export interface ChartSeries {
  id: string;
  label: string;
  points: { t: number; value: number | null; provisional?: boolean }[];
  color?: string;
}

export interface Threshold {
  value: number;
  label: string;
}

interface Datum {
  x: number;
  y: number | null;
  provisional?: boolean;
}
type Series = LineSeries & { id: string; data: Datum[] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tick spacings, from fine to coarse; ticks fall on UTC multiples of the spacing. */
const TICK_STEPS = [
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];
/** Room an axis label needs, in pixels. */
export const TICK_WIDTH = 84;

/** Ticks on round times: the finest spacing that gives at most `n` ticks over [from, to]. */
export function timeTicks(from: number, to: number, n: number): { values: number[]; step: number } {
  const span = Math.max(to - from, 1);
  const step = TICK_STEPS.find((s) => span / s <= Math.max(n, 2)) ?? TICK_STEPS.at(-1)!;
  const values: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) values.push(t);
  return { values, step };
}

const dayLabel = (t: number) =>
  new Date(t).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Nov 26" for day ticks and at midnight, "14:00" within a day. */
export function tickLabel(t: number, step: number): string {
  if (step >= DAY || t % DAY === 0) return dayLabel(t);
  return new Date(t).toISOString().slice(11, 16);
}

/** Decimals a percentage axis up to `max` needs so its five ticks read apart (100 % → 0, 1 % → 1). */
export function shareDigits(max: number): number {
  if (!(max > 0)) return 0;
  return Math.min(3, Math.max(0, Math.ceil(-Math.log10((max * 100) / 4))));
}

/** The chart's width, once the browser has laid it out. */
export function useWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [width, setWidth] = useState(0);
  const ref = useCallback((el: HTMLDivElement | null) => {
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(([e]) => setWidth(e!.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** Hollow rings on the points whose value rests on too few labels. */
function ProvisionalLayer({ series, xScale, yScale }: LineCustomSvgLayerProps<Series>) {
  return (
    <g>
      {series.flatMap((s) =>
        s.data
          .filter((d) => d.data.provisional && d.data.y !== null)
          .map((d) => (
            <circle
              key={`${s.id}-${d.data.x}`}
              cx={xScale(d.data.x)}
              cy={yScale(d.data.y)}
              r={4}
              fill="white"
              stroke={s.color}
              strokeWidth={1.5}
              data-provisional="true"
            />
          )),
      )}
    </g>
  );
}

/**
 * Values over time: one line per series, a gap where a bucket has no data, thresholds as dashed
 * lines, provisional points as hollow rings.
 */
export function TimeSeriesChart({
  series,
  bucketMs,
  height = 220,
  thresholds = [],
  yMin,
  yMax,
  format,
  share = false,
  label,
}: {
  series: ChartSeries[];
  bucketMs: number;
  height?: number;
  thresholds?: Threshold[];
  yMin?: number;
  yMax?: number;
  format?: (v: number) => string;
  /** Values are shares (0–1): shown as percentages, with as many decimals as the axis needs. */
  share?: boolean;
  /** What the chart shows, for screen readers. */
  label: string;
}) {
  const data: Series[] = series.map((s) => ({
    id: s.label,
    data: s.points.map((p) => ({
      x: p.t,
      y: p.value,
      ...(p.provisional ? { provisional: true } : {}),
    })),
  }));
  const xs = series[0]?.points.map((p) => p.t) ?? [];
  const colors = series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!);
  const hasProvisional = series.some((s) => s.points.some((p) => p.provisional));
  const [ref, width] = useWidth();
  const top = yMax ?? Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.value ?? 0)));
  const axisFormat = format ?? (share ? (v: number) => pct(v, shareDigits(top)) : num);
  const valueFormat = format ?? (share ? (v: number) => pct(v) : num);
  const x = timeTicks(xs[0] ?? 0, xs.at(-1) ?? 0, Math.floor((width - 68) / TICK_WIDTH) || 4);
  return (
    <div className="chart-frame">
      {series.length > 1 || hasProvisional ? (
        <div className="chart-legend">
          {series.map((s, i) => (
            <span key={s.id}>
              <i style={{ background: colors[i] }} /> {s.label}
            </span>
          ))}
          {hasProvisional ? (
            <span>
              <i className="chart-legend__ring" /> fewer than 30 labels
            </span>
          ) : null}
        </div>
      ) : null}
      <div
        ref={ref}
        className="chart"
        style={{ height }}
        role="img"
        aria-label={label}
        data-testid="time-series-chart"
        data-points={xs.length}
      >
        <ResponsiveLine<Series>
          data={data}
          margin={{ top: 12, right: 16, bottom: 34, left: 52 }}
          xScale={{ type: 'linear', min: xs[0] ?? 'auto', max: xs.at(-1) ?? 'auto' }}
          yScale={{ type: 'linear', min: yMin ?? 'auto', max: yMax ?? 'auto', nice: true }}
          axisBottom={{
            tickValues: x.values,
            format: (v: number) => tickLabel(v, x.step),
            tickSize: 4,
          }}
          axisLeft={{ tickValues: 5, format: (v: number) => axisFormat(v), tickSize: 4 }}
          gridXValues={x.values}
          gridYValues={5}
          colors={colors}
          lineWidth={2}
          pointSize={series.length === 1 && xs.length <= 60 ? 5 : 0}
          enableSlices="x"
          sliceTooltip={({ slice }) => (
            <div className="chart-tooltip">
              <strong>{bucketLabel(Number(slice.points[0]?.data.x ?? 0), bucketMs)} UTC</strong>
              {slice.points.map((p) => (
                <div key={p.id}>
                  <i style={{ background: p.seriesColor }} /> {String(p.seriesId)}:{' '}
                  {p.data.y === null ? '—' : valueFormat(Number(p.data.y))}
                  {(p.data as Datum).provisional ? ' (few labels)' : ''}
                </div>
              ))}
            </div>
          )}
          markers={thresholds.map((t) => ({
            axis: 'y' as const,
            value: t.value,
            lineStyle: { stroke: THRESHOLD_COLOR, strokeWidth: 1.5, strokeDasharray: '5 4' },
            legend: t.label,
            legendPosition: 'top-right' as const,
            textStyle: { fill: THRESHOLD_COLOR, fontSize: 11 },
          }))}
          layers={[
            'grid',
            'markers',
            'axes',
            'areas',
            'lines',
            'points',
            'slices',
            ProvisionalLayer,
            'legends',
          ]}
          theme={CHART_THEME}
          animate={false}
        />
      </div>
    </div>
  );
}
