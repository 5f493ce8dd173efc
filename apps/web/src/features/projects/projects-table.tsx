'use client';

import Link from 'next/link';
import { Badge, Table, Td, Th } from '~/components/ui';
import type { RouterOutputs } from '~/trpc/react';

type Project = RouterOutputs['project']['list'][number];

/** The workspace's projects with their team and counts; `detailed` adds slug and retention. */
export function ProjectsTable({ projects, detailed = false }: { projects: Project[]; detailed?: boolean }) {
  return (
    <Table caption="Projects">
      <thead>
        <tr>
          <Th>Project</Th>
          <Th>Team</Th>
          {detailed ? <Th>Retention</Th> : null}
          <Th>Models</Th>
          <Th>Active keys</Th>
        </tr>
      </thead>
      <tbody>
        {projects.map((p) => (
          <tr key={p.id}>
            <Td>
              <Link href={`/projects/${p.id}`}>{p.name}</Link>
              {detailed ? <span className="ui-muted"> /{p.slug}</span> : null}
            </Td>
            <Td>
              <Badge>{p.team.name}</Badge>
            </Td>
            {detailed ? <Td>{p.retentionDays} days</Td> : null}
            <Td>{p.modelCount}</Td>
            <Td>{p.activeKeyCount}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
