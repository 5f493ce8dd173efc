import type { Metadata } from 'next';
import { TeamsPage } from '~/features/teams/teams-page';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Teams' };

export default function Page() {
  prefetch(trpc.team.list.queryOptions());
  prefetch(trpc.member.list.queryOptions());
  return (
    <HydrateClient>
      <TeamsPage />
    </HydrateClient>
  );
}
