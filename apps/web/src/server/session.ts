import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { settleActiveWorkspace } from '@vigil/db';
import { cache } from 'react';
import { safeNextPath } from '~/lib/safe-next';
import { getSessionFromHeaders, type AuthSession } from './auth';
import { getDb } from './db';

/**
 * The session of the current page request, read once per request, with its active workspace
 * settled. Server components and their in-process tRPC calls share it.
 */
export const currentSession = cache(async (): Promise<AuthSession | null> => {
  const session = await getSessionFromHeaders(new Headers(await headers()));
  if (session) {
    session.session.activeOrganizationId = await settleActiveWorkspace(getDb().system, session.user.id, session.session.id, session.session.activeOrganizationId ?? null);
  }
  return session;
});

/** For pages behind sign-in: the session, or a redirect to the sign-in page. */
export async function requireSession(next?: string): Promise<AuthSession> {
  const session = await currentSession();
  if (!session) redirect(next ? `/sign-in?next=${encodeURIComponent(safeNextPath(next))}` : '/sign-in');
  return session;
}
