import type { Metadata } from 'next';
import { DatasetsPage } from '~/features/monitoring/datasets/datasets-page';
import { HydrateClient, preload, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Datasets' };

export default async function Page() {
  await preload(trpc.dataset.list.queryOptions());
  return (
    <HydrateClient>
      <DatasetsPage />
    </HydrateClient>
  );
}
