import { ModelOverviewTab } from '~/features/monitoring/model/overview-tab';
import { overviewSeriesInput } from '~/features/monitoring/model/inputs';
import { scopeFrom } from '~/features/monitoring/model/scope';
import type { SearchParams } from '~/features/monitoring/time-range';
import { fetchOrUndefined, HydrateClient, preload, trpc } from '~/trpc/server';

type Props = { params: Promise<{ modelId: string }>; searchParams: Promise<SearchParams> };

export default async function ModelOverviewPage({ params, searchParams }: Props) {
  const { modelId } = await params;
  const scope = scopeFrom(modelId, await searchParams);
  const header = await fetchOrUndefined(trpc.model.header.queryOptions({ modelId }));
  await Promise.all([
    header ? preload(trpc.model.series.queryOptions(overviewSeriesInput(header, scope))) : null,
    preload(trpc.model.driftTable.queryOptions(scope)),
    preload(trpc.model.alerts.queryOptions({ modelId })),
  ]);
  return (
    <HydrateClient>
      <ModelOverviewTab modelId={modelId} />
    </HydrateClient>
  );
}
