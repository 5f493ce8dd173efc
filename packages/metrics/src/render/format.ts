import type { Num } from '../index.js';

/** A number in at most `digits` significant digits, scientific only when tiny or huge. */
export function fmt(x: Num | undefined, digits = 4): string {
  if (x === null || x === undefined) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

export function pct(x: Num | undefined, digits = 1): string {
  if (x === null || x === undefined) return '–';
  return `${(x * 100).toFixed(digits)}%`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
