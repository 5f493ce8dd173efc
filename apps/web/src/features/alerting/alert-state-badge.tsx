import type { AlertView } from '@vigil/contracts';
import { Badge } from '~/components/ui';

const STATE_TONE: Record<AlertView['state'], 'danger' | 'warn' | 'neutral' | 'ok'> = {
  firing: 'danger',
  pending: 'warn',
  nodata: 'neutral',
  resolved: 'ok',
  ok: 'neutral',
};

/** An alert instance's state, coloured as on every alerting page. */
export function AlertStateBadge({ state }: { state: AlertView['state'] }) {
  return <Badge tone={STATE_TONE[state]}>{state === 'nodata' ? 'no data' : state}</Badge>;
}
