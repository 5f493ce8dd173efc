import { scopeFrom } from '~/features/monitoring/model/scope';
import { SegmentsTab } from '~/features/monitoring/model/segments-tab';
import type { SearchParams } from '~/features/monitoring/time-range';
import { HydrateClient, preload, trpc } from '~/trpc/server';

type Props = { params: Promise<{ modelId: string }>; searchParams: Promise<SearchParams> };

export default async function SegmentsPage({ params, searchParams }: Props) {
  const { modelId } = await params;
  await preload(trpc.model.segments.queryOptions(scopeFrom(modelId, await searchParams)));
  return (
    <HydrateClient>
      <SegmentsTab modelId={modelId} />
    </HydrateClient>
  );
}
