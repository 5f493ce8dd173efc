import { defaultShouldDehydrateQuery, dehydrate, HydrationBoundary, type FetchQueryOptions, type QueryKey } from '@tanstack/react-query';
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
  async (): Promise<Context> => ({ db: getDb(), session: await currentSession(), headers: new Headers(await headers()), requestLookups: new Map() }),
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

/**
 * Sends the request's server-side queries to the client components below. A layout names the
 * procedures it prefetched (`only`): the query client is shared by the whole request, and a
 * layout's boundary would otherwise also carry the page's queries — the overview's hundred rows
 * went to the browser twice, once as the layout's pending promise and once as the page's data.
 */
export function HydrateClient({ children, only }: { children: ReactNode; only?: readonly string[] }) {
  const state = dehydrate(getQueryClient(), {
    shouldDehydrateQuery: (q) =>
      (defaultShouldDehydrateQuery(q) || q.state.status === 'pending') && (only === undefined || only.includes(procedureOf(q.queryKey))),
  });
  return <HydrationBoundary state={state}>{children}</HydrationBoundary>;
}

/** `model.overview` for a tRPC query key `[['model', 'overview'], { input, type }]`. */
function procedureOf(key: QueryKey): string {
  return Array.isArray(key[0]) ? key[0].join('.') : String(key[0]);
}

/** Runs a query on the server and returns its data (undefined when it fails: the client shows the error). */
export async function fetchOrUndefined<TData, TError, TKey extends QueryKey>(options: FetchQueryOptions<TData, TError, TData, TKey>): Promise<TData | undefined> {
  try {
    return await getQueryClient().fetchQuery(options);
  } catch {
    return undefined;
  }
}
