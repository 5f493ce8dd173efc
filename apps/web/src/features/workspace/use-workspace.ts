'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';

/** The active workspace and what the signed-in user may do in it. */
export function useWorkspace() {
  const trpc = useTRPC();
  return useSuspenseQuery(trpc.workspace.current.queryOptions()).data;
}

/** Whether the user may manage a team's projects and keys (its maintainers and workspace admins). */
export function useCanMaintain(teamId: string | undefined): boolean {
  const ws = useWorkspace();
  if (!ws.canWrite) return false;
  return ws.isAdmin || (teamId !== undefined && ws.maintainedTeamIds.includes(teamId));
}
