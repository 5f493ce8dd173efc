'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { TimeRange } from '@vigil/contracts';
import { timeRangeFrom, timeRangeParams, versionFrom } from './time-range';

/**
 * The page's state kept in its URL (time range, version, selected column …): reading it, and
 * changing some parameters while keeping the others. A change replaces the URL without scrolling,
 * so the server page prefetches for the new state and the back button walks through views.
 */
export function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const time = useMemo(() => timeRangeFrom(new URLSearchParams(params.toString())), [params]);
  const version = versionFrom(new URLSearchParams(params.toString()));
  const set = useCallback(
    (changes: Record<string, string | null | undefined>, opts: { push?: boolean } = {}) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      const q = next.toString();
      const url = q ? `${pathname}?${q}` : pathname;
      if (opts.push) router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [params, pathname, router],
  );
  const setTime = useCallback(
    (t: TimeRange) => {
      const p = timeRangeParams(t);
      set({ range: p.range ?? null, from: p.from ?? null, to: p.to ?? null, bucket: p.bucket ?? null }, { push: true });
    },
    [set],
  );
  return { params, time, version, set, setTime };
}
