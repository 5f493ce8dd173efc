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

/**
 * An integer with thousands separators, as `toLocaleString('en-US')` writes it, without
 * loading the ICU locale data (the first toLocaleString call costs ~50 ms, a sixth of a small
 * `vigil report`). Anything else goes to toLocaleString.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? ',' : '') + digits.slice(Math.max(0, end - 3), end) + out;
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}
