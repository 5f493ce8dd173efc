import { describe, expect, it } from 'vitest';
import { binSamples, type BinningScheme } from './binning.js';
import { proportions } from './smoothing.js';
import { sortSample } from '../stats/sample.js';
import { checkDivergenceBlock, SMOOTHING_RULES } from '../test/divergences.js';
import { cases, loadReference, nums, numericSample, obj } from '../test/reference.js';

// Expected values: numpy 2.4 binning and scipy 1.17 divergences (binned_divergences.json).
const ref = loadReference('binned_divergences.json');
const SCHEMES: BinningScheme[] = ['sturges_combined', 'equal_width_10_reference_range', 'reference_deciles', 'evidently_default'];

describe('binned divergences match numpy/scipy', () => {
  for (const c of cases(ref)) {
    const inputs = obj(c.inputs);
    const reference = sortSample(numericSample(inputs.reference));
    const current = sortSample(numericSample(inputs.current));
    for (const scheme of SCHEMES) {
      it(`${String(c.id)} / ${scheme}: edges, counts and every divergence under each smoothing rule`, () => {
        const e = obj(obj(c.expected)[scheme]);
        const binned = binSamples(reference, current, scheme);
        if (scheme === 'evidently_default') {
          if (e.resolved_as === 'distinct_values') expect(Array.from(binned.values ?? [])).toEqual(nums(e.bin_values));
          else expect(Array.from(binned.edges ?? [])).toEqual(nums(e.edges));
        } else {
          expect(Array.from(binned.edges ?? [])).toEqual(nums(scheme === 'reference_deciles' ? e.inner_edges : e.edges));
        }
        expect(Array.from(binned.reference)).toEqual(nums(e.reference_counts));
        expect(Array.from(binned.current)).toEqual(nums(e.current_counts));
        const p = proportions(binned.reference);
        const q = proportions(binned.current);
        for (const rule of SMOOTHING_RULES) checkDivergenceBlock(p, q, rule, e[rule]);
      });
    }
  }

  for (const v of cases(ref, 'direct_vectors')) {
    it(`direct vectors ${String(v.id)}: divergence maths without binning`, () => {
      const p = Float64Array.from(nums(v.reference_vector));
      const q = Float64Array.from(nums(v.current_vector));
      for (const rule of SMOOTHING_RULES) checkDivergenceBlock(p, q, rule, v[rule]);
    });
  }
});
