import { AlertState, METRIC_CATEGORY, MetricName } from '@vigil/contracts';
import type { NotifiableAlert } from './notifiable.js';

/**
 * A model-level "no data" alert: a prediction_count instance that is in state `nodata`, or
 * firing because of its no-data policy (`alerting`, or `keep` while it was firing).
 */
export function isNoDataSource(alert: NotifiableAlert): boolean {
  if (alert.metric !== MetricName.predictionCount) return false;
  return alert.state === AlertState.nodata || (alert.state === AlertState.firing && alert.noData);
}

/**
 * Fingerprints of drift and performance alerts muted because their model has no data: those
 * alerts are consequences, not causes. A source for all versions ('') or all segments ('')
 * covers every version or segment; otherwise only its own. Silenced sources still inhibit.
 */
export function inhibitedFingerprints(alerts: readonly NotifiableAlert[]): Set<string> {
  const sources = alerts.filter(isNoDataSource);
  const inhibited = new Set<string>();
  if (sources.length === 0) return inhibited;
  for (const alert of alerts) {
    const category = METRIC_CATEGORY[alert.metric];
    if (category !== 'drift' && category !== 'performance') continue;
    const covered = sources.some(
      (s) =>
        s.labels.model === alert.labels.model &&
        (s.labels.version === '' || s.labels.version === alert.labels.version) &&
        (s.labels.segment === '' || s.labels.segment === alert.labels.segment),
    );
    if (covered) inhibited.add(alert.fingerprint);
  }
  return inhibited;
}
