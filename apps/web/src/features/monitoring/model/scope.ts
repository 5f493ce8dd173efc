import { timeRangeFrom, versionFrom, type SearchParams } from '../time-range';
import type { Scope } from './inputs';

/** A tab page's scope from its route and URL, as its client component reads it (`useModelScope`). */
export function scopeFrom(modelId: string, params: SearchParams): Scope {
  const versionId = versionFrom(params);
  return { modelId, ...(versionId ? { versionId } : {}), time: timeRangeFrom(params) };
}
