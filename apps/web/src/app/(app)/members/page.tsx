import type { Metadata } from 'next';
import { MembersPage } from '~/features/members/members-page';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Members' };

export default async function Page() {
  const ws = await getQueryClient().fetchQuery(trpc.workspace.current.queryOptions());
  prefetch(trpc.member.list.queryOptions());
  if (ws.isAdmin) prefetch(trpc.invitation.list.queryOptions());
  return (
    <HydrateClient>
      <MembersPage />
    </HydrateClient>
  );
}
