'use client';

import { ResponsiveHeatMap } from '@nivo/heatmap';
import { count } from '../format';
import { CHART_THEME } from './palette';

/** A confusion matrix: true labels down, predicted across, counts in the cells. */
export function ConfusionHeatmap({ labels, matrix, label }: { labels: string[]; matrix: number[][]; label: string }) {
  const size = Math.min(520, 110 + labels.length * 72);
  const max = Math.max(1, ...matrix.flat());
  return (
    <div className="chart" style={{ height: size, maxWidth: size + 60 }} role="img" aria-label={label} data-testid="confusion-matrix">
      <ResponsiveHeatMap
        data={labels.map((truth, i) => ({ id: truth, data: labels.map((pred, j) => ({ x: pred, y: matrix[i]?.[j] ?? 0 })) }))}
        margin={{ top: 48, right: 16, bottom: 16, left: 72 }}
        axisTop={{ tickSize: 4, legend: 'predicted', legendOffset: -36, legendPosition: 'middle' }}
        axisLeft={{ tickSize: 4, legend: 'actual', legendOffset: -60, legendPosition: 'middle' }}
        colors={{ type: 'sequential', scheme: 'blues' }}
        // Dark text on light cells, white on dark ones.
        labelTextColor={(cell) => ((cell.value ?? 0) > max * 0.55 ? '#ffffff' : '#1f2937')}
        valueFormat={(v: number) => count(v)}
        emptyColor="#f6f7f9"
        theme={CHART_THEME}
        animate={false}
        hoverTarget="cell"
      />
    </div>
  );
}
