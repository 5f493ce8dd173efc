import { AlertsTab } from '~/features/monitoring/model/alerts-tab';
import { HydrateClient, preload, trpc } from '~/trpc/server';

type Props = { params: Promise<{ modelId: string }> };

export default async function ModelAlertsPage({ params }: Props) {
  const { modelId } = await params;
  await preload(trpc.model.alerts.queryOptions({ modelId }));
  return (
    <HydrateClient>
      <AlertsTab modelId={modelId} />
    </HydrateClient>
  );
}
