import type { Metadata } from 'next';
import { OVERVIEW_ALERTS_INPUT } from '~/features/alerting/alert-filter';
import { MonitoringOverview } from '~/features/monitoring/overview/overview-page';
import { timeRangeFrom, type SearchParams } from '~/features/monitoring/time-range';
import { HydrateClient, prefetch, preload, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const time = timeRangeFrom(await searchParams);
  prefetch(trpc.alert.list.queryOptions(OVERVIEW_ALERTS_INPUT));
  await preload(trpc.model.overview.queryOptions({ time }));
  return (
    <HydrateClient>
      <MonitoringOverview />
    </HydrateClient>
  );
}
