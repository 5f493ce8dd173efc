import { describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { signUp } from '../../../test/support/sessions';
import { createCaller } from '~/server/routers';
import { createContext } from '~/server/trpc';

const tokenOf = (link: string) => link.split('/invite/')[1]!;

async function workspaceWithOwner() {
  const owner = await signUp('owner');
  const org = await owner.caller.workspace.create({ name: 'Rules' });
  return { owner, org };
}

async function join(owner: Awaited<ReturnType<typeof signUp>>, role: 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER', who = role.toLowerCase()) {
  const user = await signUp(who);
  const inv = await owner.caller.invitation.create({ email: user.email, role });
  await user.caller.invitation.accept({ token: tokenOf(inv.link) });
  return user;
}

describe('workspace roles', () => {
  it('makes the creator owner and maintainer of a default team', async () => {
    const { owner } = await workspaceWithOwner();
    const me = await owner.caller.workspace.current();
    expect(me).toMatchObject({ role: 'OWNER', isAdmin: true, canWrite: true, counts: { teams: 1, members: 1, projects: 0 } });
    const [team] = await owner.caller.team.list();
    expect(team?.members).toEqual([expect.objectContaining({ id: owner.userId, role: 'MAINTAINER' })]);
  });

  it('never removes or demotes the last owner', async () => {
    const { owner } = await workspaceWithOwner();
    await expect(owner.caller.member.remove({ userId: owner.userId })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(owner.caller.member.updateRole({ userId: owner.userId, role: 'ADMIN' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const second = await join(owner, 'OWNER');
    await owner.caller.member.updateRole({ userId: owner.userId, role: 'ADMIN' });
    expect((await second.caller.member.list()).find((m) => m.id === owner.userId)?.role).toBe('ADMIN');
  });

  it('lets admins manage members but not owners', async () => {
    const { owner } = await workspaceWithOwner();
    const admin = await join(owner, 'ADMIN');
    const member = await join(owner, 'MEMBER');
    await expect(admin.caller.member.remove({ userId: owner.userId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.caller.member.updateRole({ userId: member.userId, role: 'OWNER' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await admin.caller.member.updateRole({ userId: member.userId, role: 'VIEWER' });
    await admin.caller.member.remove({ userId: member.userId });
    expect((await owner.caller.member.list()).map((m) => m.id)).not.toContain(member.userId);
    await expect(member.caller.project.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets members without a team role read but not manage that team’s projects', async () => {
    const { owner } = await workspaceWithOwner();
    const member = await join(owner, 'MEMBER');
    const [team] = await owner.caller.team.list();
    const project = await owner.caller.project.create({ teamId: team!.id, name: 'Scoring', retentionDays: 14 });
    await expect(member.caller.project.update({ projectId: project.id, name: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(member.caller.apiKey.create({ projectId: project.id, name: 'k', scopes: ['ingest'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await owner.caller.team.setMember({ teamId: team!.id, userId: member.userId, role: 'MAINTAINER' });
    await member.caller.project.update({ projectId: project.id, name: 'Scoring v2', retentionDays: 60 });
    expect(await member.caller.project.get({ projectId: project.id })).toMatchObject({ name: 'Scoring v2', retentionDays: 60 });
  });

  it('writes an audit row for each managed change', async () => {
    const { owner } = await workspaceWithOwner();
    const [team] = await owner.caller.team.list();
    const project = await owner.caller.project.create({ teamId: team!.id, name: 'Audited', retentionDays: 30 });
    const key = await owner.caller.apiKey.create({ projectId: project.id, name: 'k', scopes: ['ingest'] });
    await owner.caller.apiKey.revoke({ projectId: project.id, apiKeyId: key.id });
    const { items } = await owner.caller.audit.list({});
    expect(items.map((i) => i.action)).toEqual(['api_key.revoked', 'api_key.created', 'project.created', 'workspace.created']);
    expect(items[0]).toMatchObject({ targetId: key.id, actor: { id: owner.userId } });
  });
});

describe('invitations', () => {
  it('refuses expired and revoked invitations and an address other than the invited one', async () => {
    const { owner, org } = await workspaceWithOwner();
    const invitee = await signUp('invitee');
    const expired = await owner.caller.invitation.create({ email: invitee.email, role: 'MEMBER' });
    await getDb().system.invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(invitee.caller.invitation.accept({ token: tokenOf(expired.link) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await owner.caller.invitation.preview({ token: tokenOf(expired.link) })).toMatchObject({ status: 'expired' });

    const revoked = await owner.caller.invitation.create({ email: invitee.email, role: 'MEMBER' });
    await owner.caller.invitation.revoke({ invitationId: revoked.id });
    await expect(invitee.caller.invitation.accept({ token: tokenOf(revoked.link) })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const other = await signUp('other');
    const valid = await owner.caller.invitation.create({ email: invitee.email, role: 'VIEWER' });
    await expect(other.caller.invitation.accept({ token: tokenOf(valid.link) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await invitee.caller.invitation.accept({ token: tokenOf(valid.link) });
    expect(await invitee.caller.workspace.current()).toMatchObject({ organization: { id: org.id }, role: 'VIEWER' });
    await expect(invitee.caller.invitation.accept({ token: tokenOf(valid.link) })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('stores only a hash of the token', async () => {
    const { owner } = await workspaceWithOwner();
    const inv = await owner.caller.invitation.create({ email: 'hash@example.test', role: 'MEMBER' });
    const row = await getDb().system.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(tokenOf(inv.link));
  });
});

describe('one request, one access lookup', () => {
  it('lets the queries of one request share the membership and team lookups, and checks every mutation afresh', async () => {
    const { owner, org } = await workspaceWithOwner();
    const admin = await join(owner, 'ADMIN');
    // One request's context, as a page render or an HTTP batch has.
    const ctx = await createContext({ headers: new Headers({ cookie: admin.cookie }) });
    const request = createCaller(ctx);
    await request.workspace.current();
    await request.model.overview({ time: { range: '24h' } });
    await request.alert.list({});
    expect([...ctx.requestLookups!.keys()].sort()).toEqual([`alerting:${org.id}`, `membership:${org.id}`]);
    // The owner removes the admin meanwhile: a mutation in the same request is refused at once.
    await owner.caller.member.remove({ userId: admin.userId });
    await expect(request.team.create({ name: 'after removal' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // And the next request sees the removal for queries too.
    await expect(admin.caller.workspace.current()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
