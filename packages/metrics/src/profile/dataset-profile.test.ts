import { describe, expect, it } from 'vitest';
import {
  deserializeDatasetProfile,
  mergeDatasetProfiles,
  profileDataset,
  serializeDatasetProfile,
  type DatasetSchema,
} from './dataset-profile.js';
import { categoryShares, profileMean } from './profile-summary.js';

const schema: DatasetSchema = {
  age: 'numerical',
  country: 'categorical',
  churned: { kind: 'boolean' },
};

const rows = Array.from({ length: 300 }, (_, i) => ({
  age: i % 10 === 0 ? null : 20 + (i % 50),
  country: ['DE', 'FR', 'US'][i % 3],
  churned: i % 4 === 0,
}));

describe('DatasetProfile', () => {
  it('merges to the profile of all rows on exact parts', () => {
    const whole = profileDataset(rows, schema, { seed: 1 });
    const merged = mergeDatasetProfiles(
      profileDataset(rows.slice(0, 120), schema, { seed: 2 }),
      profileDataset(rows.slice(120), schema, { seed: 3 }),
    );
    expect(merged.rowCount).toBe(300);
    for (const name of Object.keys(schema)) {
      const a = merged.columns.get(name)!;
      const b = whole.columns.get(name)!;
      expect([a.count, a.missing, a.types]).toEqual([b.count, b.missing, b.types]);
    }
    expect(profileMean(merged.columns.get('age')!)).toBeCloseTo(
      profileMean(whole.columns.get('age')!),
      12,
    );
    expect(categoryShares(merged.columns.get('country')!)).toEqual(
      categoryShares(whole.columns.get('country')!),
    );
  });

  it('counts a column absent from one side as missing for that side’s rows', () => {
    const a = profileDataset(rows.slice(0, 100), { age: 'numerical' }, { seed: 1 });
    const b = profileDataset(rows.slice(100), schema, { seed: 2 });
    const merged = mergeDatasetProfiles(a, b);
    const country = merged.columns.get('country')!;
    expect(country.count).toBe(300);
    expect(country.missing).toBe(100);
  });

  it('round-trips through JSON exactly and rejects unknown versions', () => {
    const profile = profileDataset(rows, schema, { seed: 4 });
    const serialized = serializeDatasetProfile(profile);
    const restored = deserializeDatasetProfile(JSON.parse(JSON.stringify(serialized)));
    expect(serializeDatasetProfile(restored)).toEqual(serialized);
    expect(() => deserializeDatasetProfile({ ...serialized, v: 9 })).toThrow(
      /unsupported dataset profile format version 9/,
    );
    expect(() => deserializeDatasetProfile({ ...serialized, rows: 5 })).toThrow(
      /counts 300 values but the dataset has 5 rows/,
    );
  });

  it('gives each column its own random seed', () => {
    const profile = profileDataset([], { a: 'numerical', b: 'numerical' }, { seed: 9 });
    expect(profile.columns.get('a')!.options.seed).not.toBe(profile.columns.get('b')!.options.seed);
  });
});
