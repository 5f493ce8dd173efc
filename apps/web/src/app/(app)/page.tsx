import type { Metadata } from 'next';
import { Overview } from '~/features/workspace/overview';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  prefetch(trpc.project.list.queryOptions());
  return (
    <HydrateClient>
      <Overview />
    </HydrateClient>
  );
}
