import { dehydrate, HydrationBoundary, type FetchQueryOptions, type QueryKey } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { TRPCError } from '@trpc/server';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache, type ReactNode } from 'react';
import { appRouter } from '~/server/routers';
import { getDb } from '~/server/db';
import { currentSession } from '~/server/session';
import type { Context } from '~/server/trpc';
import { makeQueryClient } from './query-client';

/** One query client per server request, shared by every server component of that request. */
export const getQueryClient = cache(makeQueryClient);

const createRequestContext = cache(
  async (): Promise<Context> => ({ db: getDb(), session: await currentSession(), headers: new Headers(await headers()) }),
);

/** Server-side tRPC: options for prefetching in server components, called in-process. */
export const trpc = createTRPCOptionsProxy({ router: appRouter, ctx: createRequestContext, queryClient: getQueryClient });

/** Starts a query on the server; its result is sent along with the page by `HydrateClient`. */
export function prefetch<TData, TError, TKey extends QueryKey>(options: FetchQueryOptions<TData, TError, TData, TKey>): void {
  void getQueryClient().prefetchQuery(options);
}

/**
 * Runs a query on the server; await it so the page renders with its data. Pages whose client
 * components read with `useQuery` (live-refreshing panels) need this: a query still in flight
 * would render its loading state on the server and its data on the client.
 */
export function preload<TData, TError, TKey extends QueryKey>(options: FetchQueryOptions<TData, TError, TData, TKey>): Promise<void> {
  return getQueryClient().prefetchQuery(options);
}

/**
 * `preload` for the record a page is about: when it does not exist for this user (another
 * workspace's, or no such id) the page answers 404; other failures are shown by the client.
 */
export async function preloadOrNotFound<TData, TError, TKey extends QueryKey>(options: FetchQueryOptions<TData, TError, TData, TKey>): Promise<void> {
  try {
    await getQueryClient().fetchQuery(options);
  } catch (err) {
    if (err instanceof TRPCError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) notFound();
  }
}

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

/** Runs a query on the server and returns its data (undefined when it fails: the client shows the error). */
export async function fetchOrUndefined<TData, TError, TKey extends QueryKey>(options: FetchQueryOptions<TData, TError, TData, TKey>): Promise<TData | undefined> {
  try {
    return await getQueryClient().fetchQuery(options);
  } catch {
    return undefined;
  }
}
