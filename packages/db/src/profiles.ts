import type { Executor } from './executor.js';

/*
 * Stored column profiles (table column_profile): one serialized, mergeable profile per
 * (model version, column, segment, granularity, window start). The worker merges into them and
 * computes metrics from them; this module stores and reads the serialized form only.
 */

export type ProfileGranularity = 'minute' | 'hour' | 'day';

/** Which stored profile: a window of one column (role and name) in one segment ('' for all events). */
export interface ProfileKey {
  granularity: ProfileGranularity;
  windowStart: number;
  role: string;
  name: string;
  segment: string;
}

/** The model version that profiles belong to, with its tenant. */
export interface ProfileOwner {
  organizationId: string;
  projectId: string;
  modelId: string;
  modelVersionId: string;
}

/** The stored (serialized) profiles of the given keys that exist. */
export async function loadProfiles(q: Executor, owner: Pick<ProfileOwner, 'organizationId' | 'modelVersionId'>, keys: readonly ProfileKey[]): Promise<{ key: ProfileKey; profile: unknown }[]> {
  if (keys.length === 0) return [];
  const { rows } = await q.query<{ granularity: ProfileGranularity; window_start: Date; role: string; column_name: string; segment: string; profile: unknown }>(
    `SELECT granularity, window_start, role, column_name, segment, profile FROM column_profile
     WHERE model_version_id = $1 AND organization_id = $7 AND (granularity, window_start, role, column_name, segment) IN (
       SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[]))`,
    [
      owner.modelVersionId,
      keys.map((k) => k.granularity),
      keys.map((k) => new Date(k.windowStart).toISOString()),
      keys.map((k) => k.role),
      keys.map((k) => k.name),
      keys.map((k) => k.segment),
      owner.organizationId,
    ],
  );
  return rows.map((r) => ({
    key: { granularity: r.granularity, windowStart: r.window_start.getTime(), role: r.role, name: r.column_name, segment: r.segment },
    profile: r.profile,
  }));
}

/**
 * Writes profiles (creating or replacing each key's row) in one statement. `serialize` gives a
 * profile's stored (JSON) form; `events` is its event count.
 */
export async function upsertProfiles<P>(
  q: Executor,
  owner: ProfileOwner,
  items: readonly { key: ProfileKey; events: number; profile: P }[],
  serialize: (profile: P) => unknown,
): Promise<void> {
  if (items.length === 0) return;
  // One JSON document of rows with each profile's JSON embedded as is: a jsonb[] parameter would
  // be escaped character by character. Each profile is serialized just before it is appended,
  // so the serialized objects die young: holding them all at once cost the worker several times
  // the CPU in garbage collection.
  let rows = '[';
  for (let i = 0; i < items.length; i++) {
    const { key, events, profile } = items[i]!;
    if (i > 0) rows += ',';
    rows += `{"g":"${key.granularity}","w":${key.windowStart},"r":${JSON.stringify(key.role)},"c":${JSON.stringify(key.name)},"s":${JSON.stringify(key.segment)},"n":${events},"p":${JSON.stringify(serialize(profile))}}`;
  }
  rows += ']';
  await q.query(
    `INSERT INTO column_profile (organization_id, project_id, model_id, model_version_id, granularity, window_start, role,
                                 column_name, segment, profile, event_count)
     SELECT $1, $2, $3, $4, r.g, to_timestamp(r.w / 1000.0), r.r, r.c, r.s, r.p, r.n
     FROM json_to_recordset($5::json) AS r(g text, w float8, r text, c text, s text, p jsonb, n bigint)
     ON CONFLICT (model_version_id, column_name, role, segment, granularity, window_start)
     DO UPDATE SET profile = EXCLUDED.profile, event_count = EXCLUDED.event_count, updated_at = now()
     WHERE column_profile.organization_id = EXCLUDED.organization_id`,
    [owner.organizationId, owner.projectId, owner.modelId, owner.modelVersionId, rows],
  );
}

/** A stored profile row without its profile: enough to tell whether a cached copy is current (`version`: the row's xmin). */
export interface ProfileRowVersion {
  id: string;
  version: string;
  role: string;
  column: string;
}

/** The rows of a version's profiles in one segment at one granularity, windows starting in [from, to). */
export async function profileRowVersions(
  q: Executor,
  organizationId: string,
  modelVersionId: string,
  granularity: ProfileGranularity,
  segment: string,
  from: Date,
  to: Date,
): Promise<ProfileRowVersion[]> {
  const { rows } = await q.query<{ id: string; version: string; role: string; column_name: string }>(
    `SELECT id::text, xmin::text AS version, role, column_name FROM column_profile
     WHERE model_version_id = $1 AND granularity = $2 AND segment = $3 AND window_start >= $4 AND window_start < $5 AND organization_id = $6`,
    [modelVersionId, granularity, segment, from, to, organizationId],
  );
  return rows.map((r) => ({ id: r.id, version: r.version, role: r.role, column: r.column_name }));
}

/** Stored profiles by row id, with their row version. */
export async function profilesByIds(q: Executor, organizationId: string, ids: readonly string[]): Promise<{ id: string; version: string; profile: unknown }[]> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<{ id: string; version: string; profile: unknown }>(
    `SELECT id::text, xmin::text AS version, profile FROM column_profile WHERE id = ANY($1::bigint[]) AND organization_id = $2`,
    [[...ids], organizationId],
  );
  return rows;
}

/** The (segment, minute) windows of a version with minute profiles since `since`. */
export async function minuteProfileWindows(q: Executor, organizationId: string, modelVersionId: string, since: Date): Promise<{ segment: string; windowStart: Date }[]> {
  const { rows } = await q.query<{ segment: string; window_start: Date }>(
    `SELECT DISTINCT segment, window_start FROM column_profile
     WHERE model_version_id = $1 AND granularity = 'minute' AND window_start >= $2 AND organization_id = $3`,
    [modelVersionId, since, organizationId],
  );
  return rows.map((r) => ({ segment: r.segment, windowStart: r.window_start }));
}

/** Removes minute profiles of every workspace older than `before` (hour and day profiles stay). Returns how many. */
export async function deleteMinuteProfilesBefore(q: Executor, before: Date): Promise<number> {
  const r = await q.query(`DELETE FROM column_profile WHERE granularity = 'minute' AND window_start < $1`, [before]);
  return r.rowCount ?? 0;
}

/** One column's stored (serialized) profiles of a version at one granularity, windows starting in [from, to), oldest first. */
export async function columnProfilesInRange(
  q: Executor,
  s: { organizationId: string; modelVersionId: string; role: string; name: string; granularity: ProfileGranularity; from: Date; to: Date; segment?: string },
): Promise<{ windowStart: number; profile: unknown }[]> {
  const { rows } = await q.query<{ window_start: Date; profile: unknown }>(
    `SELECT window_start, profile FROM column_profile
     WHERE model_version_id = $1 AND column_name = $2 AND role = $3 AND segment = $4 AND granularity = $5
       AND window_start >= $6 AND window_start < $7 AND organization_id = $8
     ORDER BY window_start`,
    [s.modelVersionId, s.name, s.role, s.segment ?? '', s.granularity, s.from, s.to, s.organizationId],
  );
  return rows.map((r) => ({ windowStart: r.window_start.getTime(), profile: r.profile }));
}
