import type { Metadata } from 'next';
import { ProjectsPage } from '~/features/projects/projects-page';
import { HydrateClient, prefetch, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Projects' };

export default function Page() {
  prefetch(trpc.project.list.queryOptions());
  prefetch(trpc.team.list.queryOptions());
  return (
    <HydrateClient>
      <ProjectsPage />
    </HydrateClient>
  );
}
