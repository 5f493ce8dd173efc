import { describe, expect, it } from 'vitest';
import { columnsOf, f64, pcaCases, PCA_TOLERANCE } from '../test/estimation.js';
import { expectClose, num, nums, obj, type RefObject, type RefValue } from '../test/reference.js';
import { fitPcaDrift, mergeReconstructionSums, pcaDrift, reconstructionResult, reconstructionSums } from './pca-drift.js';
import { standardisePcaColumns, type PcaColumns } from './pca-reconstruction.js';

function columns(block: RefObject): PcaColumns {
  return {
    numerical: columnsOf(block.numerical).map((c) => f64(c)),
    categorical: columnsOf(block.categorical).map((c) => c.map((v: RefValue) => (v === null ? null : String(v)))),
  };
}

// Expected: estimation.json's spec.pca_reconstruction and spec.pca_thresholds (numpy SVD).
describe('PCA reconstruction drift matches the shared cases', () => {
  for (const c of pcaCases) {
    const expected = obj(c.expected);
    const model = fitPcaDrift(columns(obj(c.reference)), c.chunk_size as number);

    it(`${String(c.id)}: components, explained variance, reference chunk errors and thresholds`, () => {
      expect(model.pipeline.components.length).toBe(expected.components);
      const ratios = nums(expected.explained_variance_ratio);
      ratios.forEach((r, i) => expectClose(model.pipeline.explainedVarianceRatio[i]!, r, PCA_TOLERANCE, `explained variance ${i}`));
      const chunkErrors = nums(expected.reference_chunk_errors);
      expect(model.referenceChunkErrors.length).toBe(chunkErrors.length);
      chunkErrors.forEach((e, i) => expectClose(model.referenceChunkErrors[i]!, e, PCA_TOLERANCE, `reference chunk ${i}`));
      expectClose(model.lower, num(expected.lower), PCA_TOLERANCE, 'lower');
      expectClose(model.upper, num(expected.upper), PCA_TOLERANCE, 'upper');
    });

    for (const current of c.currents as RefObject[]) {
      it(`${String(c.id)} / ${String(current.name)}: error, sampling error and verdict`, () => {
        const want = obj(current.expected);
        const got = pcaDrift(model, columns(obj(current.inputs)));
        expectClose(got.error, num(want.reconstruction_error), PCA_TOLERANCE, 'reconstruction error');
        expectClose(got.samplingError, num(want.sampling_error), PCA_TOLERANCE, 'sampling error');
        expect(got.drifted).toBe(want.drifted);
      });

      it(`${String(c.id)} / ${String(current.name)}: two halves' sums merge into the whole window`, () => {
        const all = columns(obj(current.inputs));
        const half = Math.floor(all.numerical[0]!.length / 2);
        const slice = (from: number, to?: number): PcaColumns => ({
          numerical: all.numerical.map((col) => (col as Float64Array).subarray(from, to)),
          categorical: all.categorical.map((col) => (col as (string | null)[]).slice(from, to)),
        });
        const merged = reconstructionResult(model, mergeReconstructionSums(reconstructionSums(model, slice(0, half)), reconstructionSums(model, slice(half))));
        const whole = pcaDrift(model, all);
        expectClose(merged.error, whole.error, 1e-12, 'merged error');
        expectClose(merged.samplingError, whole.samplingError, 1e-10, 'merged sampling error');
        expect(merged.rows).toBe(whole.rows);
      });
    }
  }

  it('imputes, encodes unseen categories as 0 and rejects a chunk size larger than the reference', () => {
    const reference: PcaColumns = { numerical: [Float64Array.from([1, 2, NaN, 4, 5, 6]), Float64Array.from([2, 4, 6, 8, 10, 13])], categorical: [[null, 'a', 'b', 'a', 'b', 'c']] };
    const model = fitPcaDrift(reference, 3);
    // Missing categorical -> most frequent, ties to the smallest string: 'a' (share 3/6).
    expect(model.pipeline.categorical[0]!.fill).toBe('a');
    expect(new Map(model.pipeline.categorical[0]!.shares).get('a')).toBe(0.5);
    expect(model.pipeline.numerical[0]!.fill).toBe(18 / 5);
    const seen = pcaDrift(model, { numerical: [Float64Array.from([3]), Float64Array.from([7])], categorical: [['a']] });
    const cat = model.pipeline.categorical[0]!;
    const { z } = standardisePcaColumns(model.pipeline, { numerical: [Float64Array.from([NaN, 3]), Float64Array.from([7, 7])], categorical: [['zzz', null]] });
    expect(z[0]).toBe((18 / 5 - model.pipeline.numerical[0]!.mean) / model.pipeline.numerical[0]!.std);
    expect(z[2]).toBe((0 - cat.mean) / cat.std);
    expect(z[5]).toBe((0.5 - cat.mean) / cat.std);
    expect(Number.isNaN(seen.samplingError)).toBe(true);
    expect(() => fitPcaDrift(reference, 7)).toThrow(/chunk size 7 exceeds the reference's 6 rows/);
  });
});
