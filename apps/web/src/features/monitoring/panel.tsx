'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button, Card, Notice } from '~/components/ui';
import { errorMessage } from '~/lib/errors';

/**
 * A card around one query's result, with its loading, error and empty states: a panel never
 * shows a blank box. `isEmpty` decides when the data holds nothing to show.
 */
export function Panel<T>({
  title,
  query,
  isEmpty,
  empty,
  actions,
  id,
  children,
}: {
  title?: string;
  query: UseQueryResult<T, unknown>;
  isEmpty?: (data: T) => boolean;
  /** What to say (and suggest) when there is nothing to show. */
  empty: ReactNode;
  actions?: ReactNode;
  id?: string;
  children: (data: T) => ReactNode;
}) {
  let body: ReactNode;
  if (query.isPending) {
    body = (
      <div className="panel-state" aria-busy="true">
        <span className="ui-spinner" aria-hidden /> Loading…
      </div>
    );
  } else if (query.isError) {
    body = (
      <div className="panel-state">
        <Notice tone="error">{errorMessage(query.error)}</Notice>
        <Button size="sm" onClick={() => void query.refetch()}>
          Try again
        </Button>
      </div>
    );
  } else if (isEmpty?.(query.data)) {
    body = (
      <div className="panel-state panel-state--empty" role="status">
        {empty}
      </div>
    );
  } else {
    body = children(query.data);
  }
  return (
    <Card {...(title ? { title } : {})} {...(id ? { id } : {})} actions={actions}>
      {body}
    </Card>
  );
}

/** How often open pages ask for new points: a point computed by the worker shows within this. */
export const LIVE_REFRESH_MS = 5_000;
