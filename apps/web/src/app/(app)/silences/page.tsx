import type { Metadata } from 'next';
import { MODEL_CHOICES_INPUT } from '~/features/alerting/alert-filter';
import { SilencesPage } from '~/features/alerting/silences-page';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Silences' };

export default function Page() {
  prefetch(trpc.silence.list.queryOptions({ includeExpired: true }));
  prefetch(trpc.alertRule.list.queryOptions({}));
  // Model names for `model` matchers, from the models that have alerts.
  prefetch(trpc.alert.list.queryOptions(MODEL_CHOICES_INPUT));
  prefetch(trpc.team.list.queryOptions());
  return (
    <HydrateClient>
      <SilencesPage />
    </HydrateClient>
  );
}
