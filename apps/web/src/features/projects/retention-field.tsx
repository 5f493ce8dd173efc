'use client';

import { TextField } from '~/components/ui';

/** How long a project keeps raw events; the same bounds as the database (1..3650 days). */
export function RetentionField({ defaultValue }: { defaultValue: number }) {
  return (
    <TextField
      label="Keep raw events for (days)"
      name="retentionDays"
      type="number"
      min={1}
      max={3650}
      defaultValue={defaultValue}
      required
      hint="Raw predictions and labels older than this are dropped by whole days; computed metrics stay."
    />
  );
}
