/**
 * A tiny inline line for table rows (the overview draws one per model): plain SVG, so a hundred
 * rows cost no chart library instances. Null values break the line.
 */
export function Sparkline({ values, width = 120, height = 28, color = '#3b5bdb', label, fill = false }: { values: (number | null)[]; width?: number; height?: number; color?: string; label: string; fill?: boolean }) {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) {
    return (
      <svg width={width} height={height} role="img" aria-label={`${label}: no data`} className="sparkline sparkline--empty">
        <line x1={0} x2={width} y1={height - 2} y2={height - 2} stroke="#e2e5eb" strokeDasharray="3 3" />
      </svg>
    );
  }
  const lo = Math.min(...present, fill ? 0 : Infinity);
  const hi = Math.max(...present);
  const span = hi - lo || 1;
  const x = (i: number) => (values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 2) + 1);
  const y = (v: number) => height - 2 - ((v - lo) / span) * (height - 4);
  const segments: string[] = [];
  let current = '';
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="sparkline">
      {fill ? <path d={`${segments.join('')}L${x(values.length - 1)},${height - 1}L${x(0)},${height - 1}Z`} fill={color} opacity={0.12} /> : null}
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" />
      ))}
    </svg>
  );
}
