import { VigilError } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import {
  profileColumn,
  updateProfile,
  type ColumnKind,
  type ProfileOptions,
} from './column-profile.js';
import { deserializeProfile, serializeProfile } from './serialize.js';

function roundTrip(values: ArrayLike<unknown>, kind: ColumnKind, options: ProfileOptions): void {
  const profile = profileColumn(values, kind, options);
  const serialized = serializeProfile(profile);
  const text = JSON.stringify(serialized);
  const restored = deserializeProfile(JSON.parse(text));
  expect(serializeProfile(restored)).toEqual(serialized);
  expect(deserializeProfile(text).count).toBe(profile.count);
  // The restored profile continues exactly like the original, random coins included.
  const more = Array.from({ length: 3000 }, (_, i) =>
    kind === 'numerical' ? Math.tan(i) : kind === 'boolean' ? i % 3 === 0 : `v${i % 1500}`,
  );
  for (const v of more) {
    updateProfile(profile, v);
    updateProfile(restored, v);
  }
  expect(serializeProfile(restored)).toEqual(serializeProfile(profile));
}

describe('serializeProfile / deserializeProfile', () => {
  it('round-trips numerical profiles exactly, including non-finite values and -0', () => {
    const small = [1, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, 'x', 2.5];
    roundTrip(small, 'numerical', { seed: 1 });
    roundTrip(small, 'numerical', { seed: 1, histogramEdges: [-1, 0, 1, 2] });
    const large = Float64Array.from({ length: 50_000 }, (_, i) => Math.sin(i) * 1e3);
    roundTrip(large, 'numerical', { seed: 2, histogramEdges: [-1000, -10, 0, 10, 1000] });
  });

  it('round-trips categorical and boolean profiles, exact and heavy-hitter mode', () => {
    roundTrip(['a', 'b', 'a', null, 3], 'categorical', { seed: 3 });
    roundTrip(
      Array.from({ length: 20_000 }, (_, i) => (i % 4 === 0 ? `id-${i}` : `c${i % 7}`)),
      'categorical',
      { seed: 4, categoryCap: 50 },
    );
    roundTrip([true, false, true, null, 'true'], 'boolean', { seed: 5 });
  });

  it('rejects unknown versions with a clear error', () => {
    const serialized = {
      ...serializeProfile(profileColumn([1, 2], 'numerical', { seed: 1 })),
      v: 2,
    };
    expect(() => deserializeProfile(serialized)).toThrow(VigilError);
    expect(() => deserializeProfile(serialized)).toThrow(
      /unsupported profile format version 2 \(this build reads version 1\)/,
    );
    expect(() => deserializeProfile({})).toThrow(/version undefined/);
  });

  it('rejects malformed profiles with the field at fault', () => {
    const good = serializeProfile(profileColumn([1, 2, 3], 'numerical', { seed: 1 }));
    expect(() => deserializeProfile('{')).toThrow(/not valid JSON/);
    expect(() => deserializeProfile({ ...good, count: -1 })).toThrow(
      /count: expected a non-negative integer/,
    );
    expect(() => deserializeProfile({ ...good, count: 4 })).toThrow(/count does not equal/);
    expect(() => deserializeProfile({ ...good, kind: 'text' })).toThrow(/unknown column kind/);
    expect(() =>
      deserializeProfile({
        ...good,
        num: { ...good.num!, kll: { ...good.num!.kll, levels: ['@@@@'] } },
      }),
    ).toThrow(/num.kll.levels\[0\]: invalid base64/);
    expect(() =>
      deserializeProfile({ ...good, num: { ...good.num!, kll: { ...good.num!.kll, n: 4 } } }),
    ).toThrow(/KLL state is inconsistent/);
  });

  it('stays a few tens of KB for 10 million values', { timeout: 60_000 }, () => {
    const values = new Float64Array(10_000_000);
    for (let i = 0; i < values.length; i++) values[i] = (i * 0.6180339887498949) % 1;
    const edges = Array.from({ length: 21 }, (_, i) => i / 20);
    const profile = profileColumn(values, 'numerical', { seed: 6, histogramEdges: edges });
    const bytes = JSON.stringify(serializeProfile(profile)).length;
    expect(bytes).toBeLessThan(40_000);
  });
});
