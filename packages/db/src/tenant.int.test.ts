import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, createTestTenant } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

describe('tenant-scoped client', () => {
  it('reads only its own workspace rows, even when asked for another tenant by id', async () => {
    const a = await createTestTenant(db);
    const b = await createTestTenant(db);
    const asA = db.forTenant(a.organizationId);

    const projects = await asA.project.findMany();
    expect(projects.map((p) => p.id)).toEqual([a.projectId]);
    expect(await asA.project.findUnique({ where: { id: b.projectId } })).toBeNull();
    expect(await asA.project.findFirst({ where: { id: b.projectId } })).toBeNull();
    expect(await asA.apiKey.count({ where: { projectId: b.projectId } })).toBe(0);
    expect(await asA.organization.findMany()).toHaveLength(1);
    expect((await asA.organization.findFirst({ where: { id: b.organizationId } }))).toBeNull();
  });

  it('cannot update or delete another tenant’s rows', async () => {
    const a = await createTestTenant(db);
    const b = await createTestTenant(db);
    const asA = db.forTenant(a.organizationId);

    const upd = await asA.project.updateMany({ where: { id: b.projectId }, data: { name: 'hijacked' } });
    expect(upd.count).toBe(0);
    await expect(asA.project.update({ where: { id: b.projectId }, data: { name: 'hijacked' } })).rejects.toThrow();
    const del = await asA.apiKey.deleteMany({ where: { projectId: b.projectId } });
    expect(del.count).toBe(0);
    const still = await db.system.project.findUniqueOrThrow({ where: { id: b.projectId } });
    expect(still.name).toBe(`Project ${b.tag}`);
    expect(await db.system.apiKey.count({ where: { projectId: b.projectId } })).toBe(1);
  });

  it('stamps its organization on creates and refuses writes naming another', async () => {
    const a = await createTestTenant(db);
    const b = await createTestTenant(db);
    const asA = db.forTenant(a.organizationId);

    const team = await asA.team.create({ data: { name: 'Stamped', slug: `stamped-${a.tag}` } as never });
    expect(team.organizationId).toBe(a.organizationId);
    await expect(
      asA.team.create({ data: { organizationId: b.organizationId, name: 'Evil', slug: `evil-${a.tag}` } }),
    ).rejects.toThrow(/cross-tenant write/);
    await expect(
      asA.project.updateMany({ where: { id: a.projectId }, data: { organizationId: b.organizationId } }),
    ).rejects.toThrow(/another tenant/);
    expect(await db.system.team.count({ where: { slug: `evil-${a.tag}` } })).toBe(0);
  });

  it('refuses to build a client without an organization', () => {
    expect(() => db.forTenant('')).toThrow(/needs an organization id/);
  });
});
