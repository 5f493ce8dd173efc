import { DriftTab } from '~/features/monitoring/model/drift-tab';
import { columnDriftInput } from '~/features/monitoring/model/inputs';
import { scopeFrom } from '~/features/monitoring/model/scope';
import type { SearchParams } from '~/features/monitoring/time-range';
import { fetchOrUndefined, HydrateClient, preload, trpc } from '~/trpc/server';

type Props = { params: Promise<{ modelId: string }>; searchParams: Promise<SearchParams> };

export default async function DriftPage({ params, searchParams }: Props) {
  const { modelId } = await params;
  const search = await searchParams;
  const scope = scopeFrom(modelId, search);
  const [table] = await Promise.all([fetchOrUndefined(trpc.model.driftTable.queryOptions(scope)), preload(trpc.model.multivariateDrift.queryOptions(scope))]);
  // The column shown below the table: the one the URL names, else the most drifted.
  const column = (typeof search.column === 'string' && table?.rows.find((r) => r.column === search.column)?.column) || table?.rows[0]?.column;
  if (column) {
    await Promise.all([preload(trpc.model.distribution.queryOptions({ ...scope, column })), preload(trpc.model.series.queryOptions(columnDriftInput(scope, column)))]);
  }
  return (
    <HydrateClient>
      <DriftTab modelId={modelId} />
    </HydrateClient>
  );
}
