import { qualitySeriesInput } from '~/features/monitoring/model/inputs';
import { QualityTab } from '~/features/monitoring/model/quality-tab';
import { scopeFrom } from '~/features/monitoring/model/scope';
import type { SearchParams } from '~/features/monitoring/time-range';
import { HydrateClient, preload, trpc } from '~/trpc/server';

type Props = { params: Promise<{ modelId: string }>; searchParams: Promise<SearchParams> };

export default async function QualityPage({ params, searchParams }: Props) {
  const { modelId } = await params;
  await preload(trpc.model.series.queryOptions(qualitySeriesInput(scopeFrom(modelId, await searchParams))));
  return (
    <HydrateClient>
      <QualityTab modelId={modelId} />
    </HydrateClient>
  );
}
