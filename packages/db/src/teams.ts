import { AuditAction, VigilError, type TeamRole } from '@vigil/contracts';
import { writeAudit, type Actor } from './audit.js';
import { uniqueSlug } from './slug.js';
import type { TenantDb } from './tenant.js';

/** A workspace's teams: who is in each, and who maintains it. */

export async function listTeams(t: TenantDb) {
  const teams = await t.team.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      slug: true,
      createdAt: true,
      _count: { select: { projects: true } },
      members: {
        orderBy: { createdAt: 'asc' },
        select: { role: true, user: { select: { id: true, name: true, email: true } } },
      },
    },
  });
  return teams.map(({ _count, members, ...team }) => ({
    ...team,
    projectCount: _count.projects,
    members: members.map((m) => ({ ...m.user, role: m.role })),
  }));
}

/** A team of the workspace, or NOT_FOUND. */
export async function getTeam(t: TenantDb, teamId: string): Promise<{ id: string; name: string; slug: string }> {
  const team = await t.team.findUnique({ where: { id: teamId }, select: { id: true, name: true, slug: true } });
  if (!team) throw new VigilError('NOT_FOUND', 'team not found');
  return team;
}

/** Every team id of the workspace. */
export async function workspaceTeamIds(t: TenantDb): Promise<string[]> {
  return (await t.team.findMany({ select: { id: true } })).map((x) => x.id);
}

/** The teams a user belongs to, with their role in each. */
export async function teamMembershipsOf(t: TenantDb, userId: string): Promise<{ teamId: string; role: TeamRole }[]> {
  return t.teamMember.findMany({ where: { userId }, select: { teamId: true, role: true } });
}

/** The user's role in a team (null: not in it). */
export async function teamRoleOf(t: TenantDb, teamId: string, userId: string): Promise<TeamRole | null> {
  return (await t.teamMember.findUnique({ where: { teamId_userId: { teamId, userId } }, select: { role: true } }))?.role ?? null;
}

/** Starts a team; whoever starts it becomes its first maintainer. */
export async function createTeam(t: TenantDb, actor: Actor & { userId: string }, name: string): Promise<{ id: string; name: string; slug: string }> {
  const slug = await uniqueSlug(name, async (c) => (await t.team.count({ where: { slug: c } })) > 0);
  return t.$transaction(async (tx) => {
    const team = await tx.team.create({ data: { organizationId: actor.organizationId, name, slug } });
    await tx.teamMember.create({ data: { organizationId: actor.organizationId, teamId: team.id, userId: actor.userId, role: 'MAINTAINER' } });
    await writeAudit(tx, actor, { action: AuditAction.teamCreated, targetType: 'team', targetId: team.id, details: { name: team.name } });
    return { id: team.id, name: team.name, slug: team.slug };
  });
}

/** Adds a workspace member to the team, or changes their team role; viewers cannot maintain. */
export async function setTeamMember(t: TenantDb, actor: Actor, teamId: string, userId: string, role: TeamRole) {
  return t.$transaction(async (tx) => {
    const membership = await tx.membership.findFirst({ where: { userId } });
    if (!membership) throw new VigilError('NOT_FOUND', 'that person is not a member of this workspace');
    if (role === 'MAINTAINER' && membership.role === 'VIEWER') {
      throw new VigilError('CONFLICT', 'viewers cannot maintain a team: change their workspace role first');
    }
    await tx.teamMember.upsert({
      where: { teamId_userId: { teamId, userId } },
      create: { organizationId: actor.organizationId, teamId, userId, role },
      update: { role },
    });
    await writeAudit(tx, actor, { action: AuditAction.teamMemberSet, targetType: 'team', targetId: teamId, details: { userId, role } });
    return { teamId, userId, role };
  });
}

/** Takes someone out of a team; a team keeps at least one maintainer. */
export async function removeTeamMember(t: TenantDb, actor: Actor, teamId: string, userId: string) {
  return t.$transaction(async (tx) => {
    const member = await tx.teamMember.findUnique({ where: { teamId_userId: { teamId, userId } } });
    if (!member) throw new VigilError('NOT_FOUND', 'that person is not in this team');
    if (member.role === 'MAINTAINER' && (await tx.teamMember.count({ where: { teamId, role: 'MAINTAINER' } })) <= 1) {
      throw new VigilError('CONFLICT', 'a team needs at least one maintainer: make someone else maintainer first');
    }
    await tx.teamMember.delete({ where: { id: member.id } });
    await writeAudit(tx, actor, { action: AuditAction.teamMemberRemoved, targetType: 'team', targetId: teamId, details: { userId } });
    return { teamId, userId };
  });
}
