import { AuditAction, VigilError, type OrgRole } from '@vigil/contracts';
import { writeAudit } from './audit.js';
import type { Executor } from './executor.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { uniqueSlug } from './slug.js';
import type { TenantDb } from './tenant.js';

/*
 * Workspaces (organizations) and who belongs to them. These run on the system client: a user
 * is not inside a workspace until their membership says so.
 */

/** Name of the team every new workspace starts with. */
export const DEFAULT_TEAM_NAME = 'Core';

export interface WorkspaceRef {
  id: string;
  name: string;
  slug: string;
}

/** The user's role in a workspace with the workspace itself, or null when they are not a member. */
export async function findMembership(system: PrismaClient, organizationId: string, userId: string): Promise<{ role: OrgRole; organization: WorkspaceRef } | null> {
  const m = await system.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
  });
  return m;
}

/** The workspaces a user belongs to, in the order they joined. */
export async function listUserWorkspaces(system: PrismaClient, userId: string): Promise<(WorkspaceRef & { role: OrgRole })[]> {
  const memberships = await system.membership.findMany({
    where: { userId },
    select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return memberships.map((m) => ({ ...m.organization, role: m.role }));
}

/** Counts shown on the workspace's home, and the teams the user maintains. */
export async function workspaceSummary(t: TenantDb, userId: string) {
  const [maintained, projects, teams, members, models] = await Promise.all([
    t.teamMember.findMany({ where: { userId, role: 'MAINTAINER' }, select: { teamId: true } }),
    t.project.count(),
    t.team.count(),
    t.membership.count(),
    t.model.count(),
  ]);
  return { maintainedTeamIds: maintained.map((m) => m.teamId), counts: { projects, teams, members, models } };
}

/**
 * Creates a workspace owned by the user, with a default team they maintain, and makes it the
 * session's active workspace, in one transaction.
 */
export async function createWorkspace(system: PrismaClient, user: { id: string }, sessionId: string, name: string): Promise<WorkspaceRef> {
  const slug = await uniqueSlug(name, async (c) => (await system.organization.count({ where: { slug: c } })) > 0);
  return system.$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { name, slug } });
    await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: 'OWNER' } });
    const team = await tx.team.create({ data: { organizationId: org.id, name: DEFAULT_TEAM_NAME, slug: 'core' } });
    await tx.teamMember.create({ data: { organizationId: org.id, teamId: team.id, userId: user.id, role: 'MAINTAINER' } });
    await writeAudit(tx, { organizationId: org.id, userId: user.id }, { action: AuditAction.workspaceCreated, targetType: 'workspace', targetId: org.id, details: { name: org.name } });
    await tx.session.update({ where: { id: sessionId }, data: { activeOrganizationId: org.id } });
    return { id: org.id, name: org.name, slug: org.slug };
  });
}

/** Makes another of the user's workspaces the session's active one. */
export async function switchWorkspace(system: PrismaClient, userId: string, sessionId: string, organizationId: string): Promise<void> {
  if (!(await findMembership(system, organizationId, userId))) throw new VigilError('FORBIDDEN', 'you are not a member of this workspace');
  await system.session.update({ where: { id: sessionId }, data: { activeOrganizationId: organizationId } });
}

/**
 * Makes sure a session points at a workspace the user still belongs to: keeps a valid choice,
 * else falls back to their first workspace (after being removed from one, or on a first
 * sign-in of a seeded user). Null when the user belongs to none.
 */
export async function settleActiveWorkspace(system: PrismaClient, userId: string, sessionId: string, current: string | null): Promise<string | null> {
  const memberships = await system.membership.findMany({ where: { userId }, select: { organizationId: true }, orderBy: { createdAt: 'asc' } });
  if (current && memberships.some((m) => m.organizationId === current)) return current;
  const fallback = memberships[0]?.organizationId ?? null;
  if (fallback !== current) await system.session.update({ where: { id: sessionId }, data: { activeOrganizationId: fallback } });
  return fallback;
}

/** A workspace's id, name and slug, read inside a caller's transaction (notification payloads). */
export async function workspaceRef(q: Executor, organizationId: string): Promise<WorkspaceRef> {
  const { rows } = await q.query<WorkspaceRef>(`SELECT id, name, slug FROM organizations WHERE id = $1`, [organizationId]);
  if (!rows[0]) throw new VigilError('NOT_FOUND', 'workspace not found');
  return rows[0];
}
