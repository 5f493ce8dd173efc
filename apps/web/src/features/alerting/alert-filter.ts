/** The alerts page's filter, shared by its server page (prefetch) and its client component (also the overview's). */

export interface AlertFilter {
  state: 'active' | 'all';
  modelId?: string;
}

/** The filter in the URL (`?state=all&model=<id>`); anything else is the default. */
export function alertFilterFrom(params: { state?: string | string[]; model?: string | string[] }): AlertFilter {
  const model = typeof params.model === 'string' && params.model ? params.model : undefined;
  return { state: params.state === 'all' ? 'all' : 'active', ...(model ? { modelId: model } : {}) };
}

export const alertListInput = (f: AlertFilter) => ({ state: f.state, ...(f.modelId ? { modelId: f.modelId } : {}) });
/** What the overview asks for (and its server page prefetches): the newest active alerts. */
export const OVERVIEW_ALERTS_INPUT = { state: 'active', limit: 5 } as const;
/** Every recent alert, whatever the filter: the model menu's choices. */
export const MODEL_CHOICES_INPUT = { state: 'all', limit: 500 } as const;

/** The alerts page URL for a filter (and an alert to highlight). */
export function alertsHref(f: AlertFilter, fingerprint?: string): string {
  const q = new URLSearchParams();
  if (f.state === 'all') q.set('state', 'all');
  if (f.modelId) q.set('model', f.modelId);
  if (fingerprint) q.set('fingerprint', fingerprint);
  const s = q.toString();
  return s ? `/alerts?${s}` : '/alerts';
}

