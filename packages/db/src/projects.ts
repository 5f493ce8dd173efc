import { AuditAction, VigilError } from '@vigil/contracts';
import { writeAudit, type Actor } from './audit.js';
import type { Executor } from './executor.js';
import { uniqueSlug } from './slug.js';
import type { TenantDb } from './tenant.js';

/** Projects: each belongs to one team, whose maintainers manage its models, keys and rules. */

const projectSelect = {
  id: true,
  name: true,
  slug: true,
  retentionDays: true,
  createdAt: true,
  team: { select: { id: true, name: true } },
  _count: { select: { models: true, apiKeys: { where: { revokedAt: null } } } },
} as const;

export async function listProjects(t: TenantDb) {
  const rows = await t.project.findMany({ orderBy: { name: 'asc' }, select: projectSelect });
  return rows.map(({ _count, ...p }) => ({ ...p, modelCount: _count.models, activeKeyCount: _count.apiKeys }));
}

export async function getProjectSummary(t: TenantDb, projectId: string) {
  const p = await t.project.findUnique({ where: { id: projectId }, select: projectSelect });
  if (!p) throw new VigilError('NOT_FOUND', 'project not found');
  const { _count, ...project } = p;
  return { ...project, modelCount: _count.models, activeKeyCount: _count.apiKeys };
}

export interface ProjectRecord {
  id: string;
  teamId: string;
  name: string;
  slug: string;
  retentionDays: number;
}

/** A project of the workspace, or NOT_FOUND. */
export async function getProject(t: TenantDb, projectId: string): Promise<ProjectRecord> {
  const p = await t.project.findUnique({ where: { id: projectId }, select: { id: true, teamId: true, name: true, slug: true, retentionDays: true } });
  if (!p) throw new VigilError('NOT_FOUND', 'project not found');
  return p;
}

/** Ids of a team's projects. */
export async function teamProjectIds(t: TenantDb, teamId: string): Promise<string[]> {
  return (await t.project.findMany({ where: { teamId }, select: { id: true } })).map((p) => p.id);
}

/** Team id → its project ids, for the whole workspace (the evaluator's scopes). */
export async function projectsByTeam(q: Executor, organizationId: string): Promise<Map<string, string[]>> {
  const { rows } = await q.query<{ id: string; team_id: string }>(`SELECT id, team_id FROM projects WHERE organization_id = $1`, [organizationId]);
  const out = new Map<string, string[]>();
  for (const p of rows) out.set(p.team_id, [...(out.get(p.team_id) ?? []), p.id]);
  return out;
}

/** Project id → slug, for the whole workspace. */
export async function projectSlugs(q: Executor, organizationId: string): Promise<Map<string, { id: string; slug: string }>> {
  const { rows } = await q.query<{ id: string; slug: string }>(`SELECT id, slug FROM projects WHERE organization_id = $1`, [organizationId]);
  return new Map(rows.map((p) => [p.id, p]));
}

/** Creates a project owned by `teamId`; that team's maintainers manage it. */
export async function createProject(t: TenantDb, actor: Actor, teamId: string, input: { name: string; retentionDays?: number }) {
  const slug = await uniqueSlug(input.name, async (c) => (await t.project.count({ where: { slug: c } })) > 0);
  return t.$transaction(async (tx) => {
    const project = await tx.project.create({
      data: { organizationId: actor.organizationId, teamId, name: input.name, slug, retentionDays: input.retentionDays },
    });
    await writeAudit(tx, actor, {
      action: AuditAction.projectCreated,
      targetType: 'project',
      targetId: project.id,
      details: { name: project.name, teamId, retentionDays: project.retentionDays },
    });
    return { id: project.id, name: project.name, slug: project.slug };
  });
}

/** Renames the project or changes how long its raw events are kept. */
export async function updateProject(t: TenantDb, actor: Actor, before: ProjectRecord, input: { name?: string; retentionDays?: number }) {
  return t.$transaction(async (tx) => {
    const project = await tx.project.update({ where: { id: before.id }, data: { name: input.name, retentionDays: input.retentionDays } });
    await writeAudit(tx, actor, {
      action: AuditAction.projectUpdated,
      targetType: 'project',
      targetId: project.id,
      details: {
        ...(input.name !== undefined ? { name: { from: before.name, to: project.name } } : {}),
        ...(input.retentionDays !== undefined ? { retentionDays: { from: before.retentionDays, to: project.retentionDays } } : {}),
      },
    });
    return { id: project.id, name: project.name, retentionDays: project.retentionDays };
  });
}
