import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuditPage } from '~/features/audit/audit-page';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Audit log' };

export default async function Page() {
  const ws = await getQueryClient().fetchQuery(trpc.workspace.current.queryOptions());
  if (!ws.isAdmin) redirect('/');
  prefetch(trpc.audit.list.queryOptions({}));
  return (
    <HydrateClient>
      <AuditPage />
    </HydrateClient>
  );
}
