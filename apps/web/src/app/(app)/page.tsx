import type { Metadata } from 'next';
import { OVERVIEW_ALERTS_INPUT } from '~/features/alerting/alert-filter';
import { Overview } from '~/features/workspace/overview';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  prefetch(trpc.project.list.queryOptions());
  prefetch(trpc.alert.list.queryOptions(OVERVIEW_ALERTS_INPUT));
  return (
    <HydrateClient>
      <Overview />
    </HydrateClient>
  );
}
