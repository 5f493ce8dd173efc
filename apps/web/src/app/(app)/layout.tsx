import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppShell } from '~/features/workspace/app-shell';
import { requireSession } from '~/server/session';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  if (!session.session.activeOrganizationId) redirect('/onboarding');
  prefetch(trpc.workspace.current.queryOptions());
  prefetch(trpc.workspace.list.queryOptions());
  return (
    <HydrateClient only={['workspace.current', 'workspace.list']}>
      <AppShell>{children}</AppShell>
    </HydrateClient>
  );
}
