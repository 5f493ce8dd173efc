import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getSessionFromHeaders, type AuthSession } from './auth';
import { getDb } from './db';

/**
 * Makes sure the session points at a workspace the user still belongs to: keeps a valid choice,
 * else falls back to their first workspace (after being removed from one, or on a first
 * sign-in of a seeded user). Null when the user belongs to none.
 */
async function ensureActiveWorkspace(session: AuthSession): Promise<string | null> {
  const db = getDb().system;
  const memberships = await db.membership.findMany({
    where: { userId: session.user.id },
    select: { organizationId: true },
    orderBy: { createdAt: 'asc' },
  });
  const current = session.session.activeOrganizationId ?? null;
  if (current && memberships.some((m) => m.organizationId === current)) return current;
  const fallback = memberships[0]?.organizationId ?? null;
  if (fallback !== current) {
    await db.session.update({ where: { id: session.session.id }, data: { activeOrganizationId: fallback } });
  }
  return fallback;
}

/**
 * The session of the current page request, read once per request, with its active workspace
 * settled. Server components and their in-process tRPC calls share it.
 */
export const currentSession = cache(async (): Promise<AuthSession | null> => {
  const session = await getSessionFromHeaders(new Headers(await headers()));
  if (session) session.session.activeOrganizationId = await ensureActiveWorkspace(session);
  return session;
});

/** For pages behind sign-in: the session, or a redirect to the sign-in page. */
export async function requireSession(next?: string): Promise<AuthSession> {
  const session = await currentSession();
  if (!session) redirect(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  return session;
}
