import type { HealthLevel } from '@vigil/contracts';
import { Badge } from '~/components/ui';

const TONE: Record<HealthLevel, 'danger' | 'warn' | 'neutral' | 'ok'> = { critical: 'danger', warning: 'warn', nodata: 'neutral', ok: 'ok' };
const LABEL: Record<HealthLevel, string> = { critical: 'Critical', warning: 'Warning', nodata: 'No data', ok: 'Healthy' };

/** A model's health as a coloured pill; `reasons` (why it is not healthy) go into its title. */
export function HealthBadge({ level, reasons = [] }: { level: HealthLevel; reasons?: { text: string }[] }) {
  return (
    <span title={reasons.map((r) => r.text).join('\n') || undefined} data-health={level}>
      <Badge tone={TONE[level]}>{LABEL[level]}</Badge>
    </span>
  );
}

export const HEALTH_LABEL = LABEL;
