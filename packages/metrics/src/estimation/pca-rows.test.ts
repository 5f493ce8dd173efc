import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorAxes, fitPcaPipeline, reconstructionErrors, standardisePcaColumns } from './pca-reconstruction.js';

// Expected: the residual ‖c − V_k·V_kᵀc‖ computed directly from the materialised standardised rows.
function residualNorms(z: Float64Array, rows: number, dims: number, center: number[], components: number[][]): number[] {
  return Array.from({ length: rows }, (_, i) => {
    const c = Array.from({ length: dims }, (_, j) => z[i * dims + j]! - center[j]!);
    const dots = components.map((v) => v.reduce((s, vj, j) => s + vj * c[j]!, 0));
    const r = c.map((cj, j) => cj - components.reduce((s, v, a) => s + dots[a]! * v[j]!, 0));
    return Math.sqrt(r.reduce((s, x) => s + x * x, 0));
  });
}

const column = (rows: number) => fc.array(fc.oneof(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.constant(NaN)), { minLength: rows, maxLength: rows });

describe('PCA row errors from streamed blocks', () => {
  it('equal the explicit residual of the materialised rows, by the discarded axes and by the kept ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 300 }).chain((rows) => fc.tuple(fc.array(column(rows), { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom('a', 'b', 'c', null), { minLength: rows, maxLength: rows }))),
        ([numerical, categorical]) => {
          const columns = { numerical: numerical.map((c) => Float64Array.from(c)), categorical: [categorical] };
          if (numerical.some((c) => c.every(Number.isNaN)) || categorical.every((v) => v === null)) return;
          let pipeline;
          try {
            pipeline = fitPcaPipeline(columns);
          } catch {
            return; // no variance at all: rejected, nothing to compare
          }
          const { z, rows, dims } = standardisePcaColumns(pipeline, columns);
          const want = residualNorms(z, rows, dims, pipeline.center, pipeline.components);
          const scale = Math.sqrt(dims);
          const withDiscarded = reconstructionErrors(pipeline, columns);
          const withKept = reconstructionErrors({ ...pipeline, discarded: undefined }, columns);
          expect(errorAxes({ ...pipeline, discarded: undefined }).discarded).toBe(false);
          want.forEach((w, i) => {
            expect(Math.abs(withDiscarded[i]! - w)).toBeLessThanOrEqual(1e-9 * scale);
            expect(Math.abs(withKept[i]! - w)).toBeLessThanOrEqual(1e-9 * scale);
          });
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});
