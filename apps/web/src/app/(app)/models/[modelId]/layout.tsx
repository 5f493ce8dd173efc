import type { ReactNode } from 'react';
import { ModelShell } from '~/features/monitoring/model/model-shell';
import { HydrateClient, preloadOrNotFound, trpc } from '~/trpc/server';

export default async function ModelLayout({ children, params }: { children: ReactNode; params: Promise<{ modelId: string }> }) {
  const { modelId } = await params;
  await preloadOrNotFound(trpc.model.header.queryOptions({ modelId }));
  return (
    <HydrateClient only={['model.header']}>
      <ModelShell modelId={modelId}>{children}</ModelShell>
    </HydrateClient>
  );
}
