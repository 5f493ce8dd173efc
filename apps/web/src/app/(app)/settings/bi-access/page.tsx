import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { BiAccessPage } from '~/features/bi/bi-access-page';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'BI access' };

export default async function Page() {
  const ws = await getQueryClient().fetchQuery(trpc.workspace.current.queryOptions());
  if (!ws.isAdmin) redirect('/');
  prefetch(trpc.biAccess.status.queryOptions());
  return (
    <HydrateClient>
      <BiAccessPage />
    </HydrateClient>
  );
}
