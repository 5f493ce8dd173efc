'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { useWorkspace } from '~/features/workspace/use-workspace';
import { useTRPC } from '~/trpc/react';

export interface AlertingTeam {
  id: string;
  name: string;
  /** A maintainer of the team or a workspace admin (never a viewer). */
  canChange: boolean;
}

/**
 * The teams whose alerting the user sees — every team for owners and admins, else the teams
 * they belong to (the server applies the same rule) — and whether they may change each.
 */
export function useAlertingTeams(): AlertingTeam[] {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const { data: teams } = useSuspenseQuery(trpc.team.list.queryOptions());
  return teams
    .filter((t) => ws.isAdmin || t.members.some((m) => m.id === ws.user.id))
    .map((t) => ({ id: t.id, name: t.name, canChange: ws.canWrite && (ws.isAdmin || ws.maintainedTeamIds.includes(t.id)) }));
}
