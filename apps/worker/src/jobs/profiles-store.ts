import {
  cloneProfile,
  createProfile,
  deserializeProfile,
  mergeProfileInto,
  mergeProfiles,
  serializeProfile,
  updateProfile,
  type ColumnProfile,
} from '@vigil/metrics';
import { loadProfiles, profileRowVersions, profilesByIds, upsertProfiles, type Executor, type ProfileGranularity, type ProfileKey, type StoredPrediction } from '@vigil/db';
import { columnKey, type ModelColumnDef, type ModelContext } from './model-context.js';

export type { ProfileGranularity, ProfileKey };

const keyOf = (k: ProfileKey) => `${k.granularity}|${k.windowStart}|${k.role}|${k.name}|${k.segment}`;

/** A stored prediction, its label being the one known when it is merged. */
export type EventRow = Pick<StoredPrediction, 'time' | 'features' | 'prediction' | 'scores' | 'tags' | 'label'>;

/** The value an event holds for a model column. */
export function valueOf(row: EventRow, col: ModelColumnDef): unknown {
  switch (col.role) {
    case 'feature':
      return row.features?.[col.name] ?? null;
    case 'prediction':
      return row.prediction;
    case 'label':
      return row.label ?? null;
    case 'score':
      if (row.scores === null || row.scores === undefined) return null;
      return typeof row.scores === 'number' ? (col.name === 'score' ? row.scores : null) : (row.scores[col.name] ?? null);
  }
}

/**
 * Minute profiles serve the rolling window and recent recomputes, and are removed after this
 * long (the compact-profiles schedule). Events older than that are merged straight into hour
 * profiles: a backfill of last month writes no minute profile that would only be deleted.
 */
export const MINUTE_PROFILES_KEPT_MS = 2 * 86_400_000;

/** Distinct values a segment tag may take per window before further values are not tracked. */
export const MAX_SEGMENTS_PER_TAG = 50;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
export const windowStartOf = (ms: number, g: ProfileGranularity) =>
  g === 'minute' ? ms - (ms % MINUTE) : g === 'hour' ? ms - (ms % HOUR) : ms - (ms % DAY);

function seedFor(key: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Profiles of a set of events, per (granularity, window, column, segment). Events update the
 * profiles of the finest window kept for their time — their minute, or their hour when they are
 * older than `minuteHorizon` — and coarser profiles are merges of those, so each value is
 * processed once.
 */
export class ProfileAccumulator {
  /** The finest-grain profiles (minute, or hour for old events), by key. */
  readonly finest = new Map<string, { key: ProfileKey; profile: ColumnProfile }>();
  /** window start → segment → the window's profile of each column, in `ctx.columns` order (the per-value path). */
  private readonly byWindow = new Map<number, Map<string, ColumnProfile[]>>();
  private readonly segmentValues = new Map<string, Set<string>>();
  events = 0;
  droppedSegments = 0;
  /** The newest event time added (epoch ms), null before the first. */
  newestEvent: number | null = null;

  /**
   * @param minuteHorizon events before this time (aligned to an hour, so an hour is kept at one
   *   grain) get hour profiles instead of minute ones; default: every event gets minute profiles.
   */
  constructor(
    private readonly ctx: ModelContext,
    private readonly salt: number,
    private readonly minuteHorizon = Number.NEGATIVE_INFINITY,
  ) {
    if (minuteHorizon !== windowStartOf(minuteHorizon, 'hour') && Number.isFinite(minuteHorizon)) throw new Error('minuteHorizon must start an hour');
  }

  add(row: EventRow): void {
    this.events++;
    if (this.newestEvent === null || row.time > this.newestEvent) this.newestEvent = row.time;
    const granularity: ProfileGranularity = row.time >= this.minuteHorizon ? 'minute' : 'hour';
    const window = windowStartOf(row.time, granularity);
    let segments = this.byWindow.get(window);
    if (!segments) this.byWindow.set(window, (segments = new Map()));
    this.addTo(this.profilesOf(segments, granularity, window, ''), row);
    for (const tag of this.ctx.segmentTags) {
      const v = row.tags?.[tag];
      if (v === undefined) continue;
      const day = `${tag}|${windowStartOf(window, 'day')}`;
      let seen = this.segmentValues.get(day);
      if (!seen) this.segmentValues.set(day, (seen = new Set()));
      if (!seen.has(v) && seen.size >= MAX_SEGMENTS_PER_TAG) {
        this.droppedSegments++;
        continue;
      }
      seen.add(v);
      this.addTo(this.profilesOf(segments, granularity, window, `${tag}=${v}`), row);
    }
  }

  private addTo(profiles: ColumnProfile[], row: EventRow): void {
    const columns = this.ctx.columns;
    for (let i = 0; i < columns.length; i++) updateProfile(profiles[i]!, valueOf(row, columns[i]!));
  }

  private profilesOf(segments: Map<string, ColumnProfile[]>, granularity: ProfileGranularity, windowStart: number, segment: string): ColumnProfile[] {
    let profiles = segments.get(segment);
    if (profiles) return profiles;
    profiles = this.ctx.columns.map((col) => {
      const key: ProfileKey = { granularity, windowStart, role: col.role, name: col.name, segment };
      const k = keyOf(key);
      const entry = { key, profile: this.newProfile(col, k) };
      this.finest.set(k, entry);
      return entry.profile;
    });
    segments.set(segment, profiles);
    return profiles;
  }

  newProfile(col: ModelColumnDef, key: string): ColumnProfile {
    const ref = this.ctx.reference?.profiles.get(columnKey(col));
    const edges = ref && ref.kind === 'numerical' && ref.histogram ? ref.histogram.edges : undefined;
    return createProfile(col.kind, { seed: seedFor(key, this.salt), ...(edges ? { histogramEdges: edges } : {}) });
  }

  /** The finest profiles plus their merges into hour and day windows. */
  all(granularities: readonly ProfileGranularity[] = ['minute', 'hour', 'day']): { key: ProfileKey; profile: ColumnProfile }[] {
    const out = new Map<string, { key: ProfileKey; profile: ColumnProfile }>();
    for (const { key, profile } of this.finest.values()) {
      for (const g of granularities) {
        if (g === 'minute' && key.granularity !== 'minute') continue;
        const k: ProfileKey = { ...key, granularity: g, windowStart: windowStartOf(key.windowStart, g) };
        const id = keyOf(k);
        const prev = out.get(id);
        // A coarser window gets its own copy, then the others are folded into it in place.
        if (prev) prev.profile = mergeSafelyInto(prev.profile, profile);
        else out.set(id, { key: k, profile: g === key.granularity ? profile : cloneProfile(profile) });
      }
    }
    return [...out.values()];
  }

  /**
   * Hands out what was accumulated (as `all()`) and starts afresh, keeping the count of events
   * and the segment values seen: a long backlog is merged into the store a slice at a time, so
   * memory is bounded by the slice, not by the backlog.
   */
  drain(): { key: ProfileKey; profile: ColumnProfile }[] {
    const out = this.all();
    this.finest.clear();
    this.byWindow.clear();
    return out;
  }
}

/**
 * Merges two profiles; when their histogram edges differ (the reference changed inside the
 * window) the histograms are dropped and the sketches still merge. Profiles of different kinds
 * (a column's kind was overridden in its settings) do not merge: `b`, the newer, is kept.
 */
export function mergeSafely(a: ColumnProfile, b: ColumnProfile): ColumnProfile {
  if (a.kind !== b.kind) return b;
  try {
    return mergeProfiles(a, b);
  } catch (err) {
    if (a.kind !== 'numerical' || b.kind !== 'numerical') throw err;
    return mergeProfiles(withoutHistogram(a), withoutHistogram(b));
  }
}

/**
 * `mergeSafely` that folds `b` into `target` when it can (the caller owns `target`), and returns
 * the profile to keep.
 */
export function mergeSafelyInto(target: ColumnProfile, b: ColumnProfile): ColumnProfile {
  if (target.kind !== b.kind) return cloneProfile(b);
  try {
    return mergeProfileInto(target, b);
  } catch {
    // Histogram edges differ (the reference changed inside the window): nothing was changed.
    return mergeSafely(target, b);
  }
}

function withoutHistogram(p: ColumnProfile): ColumnProfile {
  if (p.kind !== 'numerical' || p.histogram === null) return p;
  const s = serializeProfile(p) as unknown as { num: Record<string, unknown> };
  return deserializeProfile({ ...s, num: { ...s.num, hist: null } });
}

/**
 * Merges profiles into the stored rows (creating missing ones) in one round trip each way, and
 * returns the profiles as now stored. Callers hold the model version's stream lock, so
 * read-merge-write cannot interleave.
 */
export async function mergeIntoStore(
  client: Executor,
  ctx: ModelContext,
  modelVersionId: string,
  items: { key: ProfileKey; profile: ColumnProfile }[],
  mode: 'merge' | 'replace',
): Promise<{ key: ProfileKey; profile: ColumnProfile }[]> {
  if (items.length === 0) return [];
  const existing = new Map<string, ColumnProfile>();
  if (mode === 'merge') {
    const owner = { organizationId: ctx.organizationId, modelVersionId };
    for (const stored of await loadProfiles(client, owner, items.map((i) => i.key))) existing.set(keyOf(stored.key), deserializeProfile(stored.profile));
  }
  const merged = items.map(({ key, profile }) => {
    const prev = existing.get(keyOf(key));
    // `prev` was deserialized for this merge alone: fold into it in place.
    const next = prev ? mergeSafelyInto(prev, profile) : profile;
    return { key, events: next.count, profile: next };
  });
  await upsertProfiles(client, { organizationId: ctx.organizationId, projectId: ctx.projectId, modelId: ctx.modelId, modelVersionId }, merged, serializeProfile);
  return merged;
}

/**
 * Deserialized stored profiles by row id and row version (`xmin`, the transaction that last
 * wrote the row): a rolling window re-reads 60 minute profiles per column on every run, of which
 * usually one changed, so only changed rows are fetched and parsed. Cached profiles are never
 * mutated (merges return new profiles).
 */
const profileCache = new Map<string, { version: string; profile: ColumnProfile }>();
const PROFILE_CACHE_LIMIT = 4_000;

/**
 * Loads and merges a version's stored profiles over [from, to) at one granularity and segment,
 * per column key (`role:name`). With `kinds` (column key → kind), a stored profile of another
 * kind — made before the column's kind was overridden — is left out.
 */
export async function loadMergedProfiles(
  q: Executor,
  organizationId: string,
  modelVersionId: string,
  granularity: ProfileGranularity,
  from: Date,
  to: Date,
  segment = '',
  kinds?: ReadonlyMap<string, string>,
): Promise<Map<string, ColumnProfile>> {
  const rows = await profileRowVersions(q, organizationId, modelVersionId, granularity, segment, from, to);
  const byId = new Map<string, ColumnProfile>();
  const stale: string[] = [];
  for (const r of rows) {
    const hit = profileCache.get(r.id);
    if (hit && hit.version === r.version) byId.set(r.id, hit.profile);
    else stale.push(r.id);
  }
  for (const r of await profilesByIds(q, organizationId, stale)) {
    const profile = deserializeProfile(r.profile);
    byId.set(r.id, profile);
    profileCache.delete(r.id);
    profileCache.set(r.id, { version: r.version, profile });
  }
  while (profileCache.size > PROFILE_CACHE_LIMIT) profileCache.delete(profileCache.keys().next().value!);
  const out = new Map<string, ColumnProfile>();
  const owned = new Set<string>();
  for (const r of rows) {
    const profile = byId.get(r.id);
    if (!profile) continue; // deleted between the two reads (compaction)
    const key = `${r.role}:${r.column}`;
    if (kinds && kinds.has(key) && kinds.get(key) !== profile.kind) continue;
    const prev = out.get(key);
    // Cached profiles are shared: the first is copied, the rest are folded into the copy.
    if (!prev) out.set(key, profile);
    else out.set(key, mergeSafelyInto(owned.has(key) ? prev : (owned.add(key), cloneProfile(prev)), profile));
  }
  return out;
}
