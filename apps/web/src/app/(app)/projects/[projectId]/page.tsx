import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ProjectPage } from '~/features/projects/project-page';
import { getQueryClient, HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Project' };

export default async function Page({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  // Awaited, so an unknown project (or one of another workspace) is a 404 page.
  const project = await getQueryClient()
    .fetchQuery(trpc.project.get.queryOptions({ projectId }))
    .catch(() => null);
  if (!project) notFound();
  prefetch(trpc.apiKey.list.queryOptions({ projectId }));
  return (
    <HydrateClient>
      <ProjectPage projectId={projectId} />
    </HydrateClient>
  );
}
