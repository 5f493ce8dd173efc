import { IngestLimits } from '@vigil/contracts';

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function isScalar(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v as number));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkId(id: unknown, field: string): string | null {
  if (id === undefined) return null;
  if (typeof id !== 'string' || id.length === 0 || id.length > IngestLimits.maxIdLength) {
    return `${field} must be a string of 1..${IngestLimits.maxIdLength} characters`;
  }
  return null;
}

function checkTimestamp(t: unknown): string | null {
  if (t === undefined) return null;
  if (typeof t === 'number' ? Number.isInteger(t) && t >= 0 : typeof t === 'string') return null;
  return 'timestamp must be epoch milliseconds or an ISO-8601 string';
}

/**
 * Cheap shape checks for the hot path: only what can be decided in constant time per field.
 * The server validates everything; these catch mistakes early so a bad item is counted here
 * instead of being sent. Returns the reason an item is invalid, or null.
 */
export function checkPrediction(p: unknown): string | null {
  if (!isPlainObject(p)) return 'prediction must be an object';
  const model = p.model;
  if (typeof model !== 'string' || model.length > IngestLimits.maxSlugLength || !SLUG.test(model)) {
    return 'model must be a slug of letters, digits, ".", "_" or "-"';
  }
  if (!isPlainObject(p.features)) return 'features must be an object';
  if (!isScalar(p.prediction)) return 'prediction must be a number, string or boolean';
  if (p.label !== undefined && !isScalar(p.label)) return 'label must be a number, string or boolean';
  if (p.version !== undefined && (typeof p.version !== 'string' || p.version.length === 0)) return 'version must be a non-empty string';
  if (p.scores !== undefined && typeof p.scores !== 'number' && !isPlainObject(p.scores)) return 'scores must be a number or an object';
  if (p.tags !== undefined && !isPlainObject(p.tags)) return 'tags must be an object';
  return checkId(p.id, 'id') ?? checkTimestamp(p.timestamp);
}

export function checkLabel(l: unknown): string | null {
  if (!isPlainObject(l)) return 'label must be an object';
  if (typeof l.predictionId !== 'string') return 'predictionId must be a string';
  if (!isScalar(l.label)) return 'label must be a number, string or boolean';
  return checkId(l.predictionId, 'predictionId') ?? checkTimestamp(l.timestamp);
}
