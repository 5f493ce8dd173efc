import type { Metadata } from 'next';
import { RulesPage } from '~/features/alerting/rules-page';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Rules' };

export default async function Page() {
  prefetch(trpc.alertRule.list.queryOptions({}));
  prefetch(trpc.channel.list.queryOptions());
  // Each team section shows its notification policy: prefetch those of the teams the user reads.
  const queryClient = getQueryClient();
  const [ws, teams] = await Promise.all([queryClient.fetchQuery(trpc.workspace.current.queryOptions()), queryClient.fetchQuery(trpc.team.list.queryOptions())]);
  for (const team of teams) {
    if (ws.isAdmin || team.members.some((m) => m.id === ws.user.id)) prefetch(trpc.notificationPolicy.get.queryOptions({ teamId: team.id }));
  }
  return (
    <HydrateClient>
      <RulesPage />
    </HydrateClient>
  );
}
