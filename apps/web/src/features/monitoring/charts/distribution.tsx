'use client';

import { ResponsiveBar } from '@nivo/bar';
import { num, pct } from '../format';
import { CHART_THEME, CURRENT_COLOR, REFERENCE_COLOR } from './palette';

export interface DistributionBin {
  label: string;
  reference: number | null;
  current: number | null;
}

/** Reference and current shares side by side per bin or category. */
export function DistributionChart({
  bins,
  height = 260,
  label,
}: {
  bins: DistributionBin[];
  height?: number;
  label: string;
}) {
  const keys = (['reference', 'current'] as const).filter((k) => bins.some((b) => b[k] !== null));
  return (
    <div className="chart-frame">
      <div className="chart-legend">
        <span>
          <i style={{ background: REFERENCE_COLOR }} /> reference
        </span>
        <span>
          <i style={{ background: CURRENT_COLOR }} /> current
        </span>
      </div>
      <div
        className="chart"
        style={{ height }}
        role="img"
        aria-label={label}
        data-testid="distribution-chart"
        data-bins={bins.length}
      >
        <ResponsiveBar
          data={bins.map((b) => ({
            bin: b.label,
            reference: b.reference ?? 0,
            current: b.current ?? 0,
          }))}
          keys={keys}
          indexBy="bin"
          groupMode="grouped"
          margin={{ top: 10, right: 12, bottom: 56, left: 52 }}
          padding={0.2}
          innerPadding={1}
          colors={(d) => (d.id === 'reference' ? REFERENCE_COLOR : CURRENT_COLOR)}
          axisBottom={{
            tickRotation: bins.length > 8 ? -40 : 0,
            tickSize: 3,
            format: (v: string) => (v.length > 14 ? `${v.slice(0, 13)}…` : v),
          }}
          axisLeft={{ tickValues: 4, format: (v: number) => pct(v, 0), tickSize: 3 }}
          enableLabel={false}
          valueFormat={(v) => pct(v)}
          tooltip={({ id, value, indexValue }) => (
            <div className="chart-tooltip">
              <strong>{String(indexValue)}</strong>
              <div>
                {id}: {pct(value)}
              </div>
            </div>
          )}
          theme={CHART_THEME}
          animate={false}
        />
      </div>
    </div>
  );
}

/** `[lo, hi)` of a numeric bin, short. */
export const binLabel = (lo: number, hi: number) => `${num(lo)}–${num(hi)}`;
