import { versionsCompareInput } from '~/features/monitoring/model/inputs';
import { VersionsTab } from '~/features/monitoring/model/versions-tab';
import { timeRangeFrom, type SearchParams } from '~/features/monitoring/time-range';
import { fetchOrUndefined, HydrateClient, preload, trpc } from '~/trpc/server';

type Props = { params: Promise<{ modelId: string }>; searchParams: Promise<SearchParams> };

export default async function VersionsPage({ params, searchParams }: Props) {
  const { modelId } = await params;
  const search = await searchParams;
  const header = await fetchOrUndefined(trpc.model.header.queryOptions({ modelId }));
  const input = versionsCompareInput(header, modelId, timeRangeFrom(search), (k) => (typeof search[k] === 'string' ? search[k] : undefined));
  if (input && (header?.model.versions.length ?? 0) > 1) await preload(trpc.model.compareVersions.queryOptions(input));
  return (
    <HydrateClient>
      <VersionsTab modelId={modelId} />
    </HydrateClient>
  );
}
