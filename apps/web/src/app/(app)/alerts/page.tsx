import type { Metadata } from 'next';
import { alertFilterFrom, alertListInput, MODEL_CHOICES_INPUT } from '~/features/alerting/alert-filter';
import { AlertsPage } from '~/features/alerting/alerts-page';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Alerts' };

type SearchParams = Promise<{ state?: string | string[]; model?: string | string[]; fingerprint?: string | string[] }>;

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const filter = alertFilterFrom(params);
  // Notification links point at one alert: `?fingerprint=<16 hex digits>`.
  const fingerprint = typeof params.fingerprint === 'string' && /^[0-9a-f]{1,64}$/.test(params.fingerprint) ? params.fingerprint : undefined;
  prefetch(trpc.alert.list.queryOptions(alertListInput(filter)));
  prefetch(trpc.alert.list.queryOptions(MODEL_CHOICES_INPUT));
  prefetch(trpc.silence.list.queryOptions({}));
  prefetch(trpc.team.list.queryOptions());
  return (
    <HydrateClient>
      <AlertsPage filter={filter} {...(fingerprint ? { fingerprint } : {})} />
    </HydrateClient>
  );
}
