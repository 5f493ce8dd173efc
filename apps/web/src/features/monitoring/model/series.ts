import type { RouterOutputs } from '~/trpc/react';
import type { ChartSeries } from '../charts/time-series';

export type SeriesResult = RouterOutputs['model']['series'];
export type Series = SeriesResult['series'][number];

/** The series of one metric (and column), or null. */
export const seriesOf = (r: SeriesResult | undefined, metric: string, column = '') => r?.series.find((s) => s.metric === metric && s.column === column) ?? null;

/** A series as the chart draws it. */
export const toChart = (s: Series, label: string, color?: string): ChartSeries => ({ id: `${s.metric}:${s.column}`, label, points: s.points, ...(color ? { color } : {}) });

/** True when a series has no value at all over the range. */
export const isBlank = (s: Series | null | undefined) => !s || s.points.every((p) => p.value === null);

/** The largest value a series reached over the range (−∞ when none). */
export const peak = (s: Series) => s.points.reduce((m, p) => (p.value !== null && p.value > m ? p.value : m), Number.NEGATIVE_INFINITY);
