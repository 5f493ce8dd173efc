import { SettingsTab } from '~/features/monitoring/model/settings-tab';

type Props = { params: Promise<{ modelId: string }> };

export default async function ModelSettingsPage({ params }: Props) {
  const { modelId } = await params;
  return <SettingsTab modelId={modelId} />;
}
