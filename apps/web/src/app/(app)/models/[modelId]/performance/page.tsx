import { estimateInput, estimateMetricOf, performanceSeriesInput } from '~/features/monitoring/model/inputs';
import { PerformanceTab } from '~/features/monitoring/model/performance-tab';
import { scopeFrom } from '~/features/monitoring/model/scope';
import type { SearchParams } from '~/features/monitoring/time-range';
import { fetchOrUndefined, HydrateClient, preload, trpc } from '~/trpc/server';

type Props = { params: Promise<{ modelId: string }>; searchParams: Promise<SearchParams> };

export default async function PerformancePage({ params, searchParams }: Props) {
  const { modelId } = await params;
  const search = await searchParams;
  const scope = scopeFrom(modelId, search);
  const header = await fetchOrUndefined(trpc.model.header.queryOptions({ modelId }));
  if (header) {
    const windowStart = typeof search.window === 'string' ? search.window : undefined;
    await Promise.all([
      preload(trpc.model.series.queryOptions(performanceSeriesInput(header, scope))),
      header.status.family === 'regression' ? null : preload(trpc.model.performanceEstimate.queryOptions(estimateInput(scope, estimateMetricOf(typeof search.estimate === 'string' ? search.estimate : null)))),
      header.status.family === 'regression'
        ? null
        : preload(trpc.model.confusionMatrix.queryOptions({ modelId, ...(scope.versionId ? { versionId: scope.versionId } : {}), granularity: 'day', ...(windowStart ? { windowStart } : {}) })),
    ]);
  }
  return (
    <HydrateClient>
      <PerformanceTab modelId={modelId} />
    </HydrateClient>
  );
}
