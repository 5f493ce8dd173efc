'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { LIVE_REFRESH_MS } from '../panel';
import { useUrlState } from '../use-url-state';

/** The model page's header data (prefetched by its layout) and the version the URL selects. */
export function useModel(modelId: string) {
  const trpc = useTRPC();
  const { version, time } = useUrlState();
  const header = useQuery({ ...trpc.model.header.queryOptions({ modelId }), refetchInterval: 30_000 });
  // A version named in the URL, else the one that reported last (the server's default too).
  const versionId = version ?? header.data?.model.versions[0]?.id;
  return { header, versionId, version, time, live: LIVE_REFRESH_MS };
}

/** The scope every tab query of a model carries: the model, the URL's version (if any) and range. */
export function useModelScope(modelId: string) {
  const { version, time } = useUrlState();
  return { modelId, ...(version ? { versionId: version } : {}), time };
}
