import type { Metadata } from 'next';
import { ChannelsPage } from '~/features/alerting/channels-page';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Channels' };

export default function Page() {
  prefetch(trpc.channel.list.queryOptions());
  prefetch(trpc.team.list.queryOptions());
  return (
    <HydrateClient>
      <ChannelsPage />
    </HydrateClient>
  );
}
