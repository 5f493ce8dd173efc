/**
 * A dataset profile: one column profile per column plus the row count.
 *
 * Merging two dataset profiles merges column by column. A column present on only one side
 * was absent from every row of the other, so the merge counts those rows as missing for it
 * — the merged profile is still the profile of the union of the rows.
 */
import {
  addMissing,
  cloneProfile,
  createProfile,
  deriveSeed,
  mergeProfiles,
  resolveProfileOptions,
  updateProfile,
  type ColumnKind,
  type ColumnProfile,
  type ProfileOptions,
} from './column-profile.js';
import { readCount, readObject } from './codec.js';
import { profileFormatError } from './errors.js';
import { hashOut, hashString } from './hash.js';
import {
  deserializeProfile,
  PROFILE_FORMAT_VERSION,
  serializeProfile,
  type SerializedColumnProfile,
} from './serialize.js';

export interface DatasetProfile {
  rowCount: number;
  readonly columns: Map<string, ColumnProfile>;
}

export interface ColumnSpec {
  kind: ColumnKind;
  options?: ProfileOptions;
}

export type DatasetSchema = Record<string, ColumnKind | ColumnSpec>;

export interface SerializedDatasetProfile {
  v: 1;
  rows: number;
  columns: Record<string, SerializedColumnProfile>;
}

/**
 * An empty dataset profile. Each column's seed is derived from `options.seed` and the
 * column name, so columns get independent randomness; per-column options override.
 */
export function createDatasetProfile(
  schema: DatasetSchema,
  options: ProfileOptions = {},
): DatasetProfile {
  const seed = resolveProfileOptions({ seed: options.seed }).seed;
  const columns = new Map<string, ColumnProfile>();
  for (const [name, spec] of Object.entries(schema)) {
    const { kind, options: own } =
      typeof spec === 'string' ? { kind: spec, options: undefined } : spec;
    hashString(name);
    columns.set(
      name,
      createProfile(kind, { ...options, seed: deriveSeed(seed, hashOut[0]!), ...own }),
    );
  }
  return { rowCount: 0, columns };
}

/** Adds one row; a column absent from the row counts as missing, unknown keys are ignored. */
export function updateDatasetProfile(
  profile: DatasetProfile,
  row: Readonly<Record<string, unknown>>,
): void {
  profile.rowCount++;
  for (const [name, column] of profile.columns) updateProfile(column, row[name]);
}

export function profileDataset(
  rows: Iterable<Readonly<Record<string, unknown>>>,
  schema: DatasetSchema,
  options: ProfileOptions = {},
): DatasetProfile {
  const profile = createDatasetProfile(schema, options);
  for (const row of rows) updateDatasetProfile(profile, row);
  return profile;
}

/** The profile of the union of both datasets' rows. Pure. */
export function mergeDatasetProfiles(a: DatasetProfile, b: DatasetProfile): DatasetProfile {
  const columns = new Map<string, ColumnProfile>();
  const names = new Set([...a.columns.keys(), ...b.columns.keys()]);
  for (const name of names) {
    const left = a.columns.get(name);
    const right = b.columns.get(name);
    if (left !== undefined && right !== undefined) columns.set(name, mergeProfiles(left, right));
    else {
      const present = cloneProfile((left ?? right)!);
      addMissing(present, left === undefined ? a.rowCount : b.rowCount);
      columns.set(name, present);
    }
  }
  return { rowCount: a.rowCount + b.rowCount, columns };
}

export function serializeDatasetProfile(profile: DatasetProfile): SerializedDatasetProfile {
  const columns: Record<string, SerializedColumnProfile> = {};
  for (const name of [...profile.columns.keys()].sort())
    columns[name] = serializeProfile(profile.columns.get(name)!);
  return { v: PROFILE_FORMAT_VERSION, rows: profile.rowCount, columns };
}

export function deserializeDatasetProfile(input: unknown): DatasetProfile {
  const json = readObject(input, 'dataset profile');
  if (json.v !== PROFILE_FORMAT_VERSION) {
    throw profileFormatError(
      `unsupported dataset profile format version ${JSON.stringify(json.v)} (this build reads version ${PROFILE_FORMAT_VERSION})`,
    );
  }
  const rowCount = readCount(json.rows, 'rows');
  const columns = new Map<string, ColumnProfile>();
  for (const [name, column] of Object.entries(readObject(json.columns, 'columns'))) {
    const profile = deserializeProfile(column);
    if (profile.count !== rowCount) {
      throw profileFormatError(
        `column ${JSON.stringify(name)} counts ${profile.count} values but the dataset has ${rowCount} rows`,
      );
    }
    columns.set(name, profile);
  }
  return { rowCount, columns };
}
