import { AuditAction, VigilError, type SilenceCreate, type SilenceView } from '@vigil/contracts';
import { writeAudit, type Actor } from '../audit.js';
import type { Executor } from '../executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { TenantDb } from '../tenant.js';
import { validationError } from '../validation.js';

function silenceView(s: { id: string; teamId: string; matchers: unknown; comment: string; startsAt: Date; endsAt: Date; createdAt: Date }, now: number): SilenceView {
  return {
    id: s.id,
    teamId: s.teamId,
    matchers: s.matchers as SilenceView['matchers'],
    comment: s.comment,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    active: s.startsAt.getTime() <= now && now < s.endsAt.getTime(),
    createdAt: s.createdAt.toISOString(),
  };
}

export async function createSilence(t: TenantDb, actor: Actor, teamId: string, input: SilenceCreate, now = Date.now()): Promise<SilenceView> {
  const startsAt = input.startsAt ? new Date(input.startsAt) : new Date(now);
  const endsAt = input.endsAt ? new Date(input.endsAt) : new Date(startsAt.getTime() + input.durationMinutes! * 60_000);
  if (endsAt.getTime() <= startsAt.getTime()) throw validationError([{ path: 'endsAt', message: 'must be after startsAt' }]);
  return t.$transaction(async (tx) => {
    const s = await tx.silence.create({
      data: { organizationId: actor.organizationId, teamId, matchers: input.matchers as Prisma.InputJsonValue, comment: input.comment, startsAt, endsAt, createdById: actor.userId ?? null },
    });
    await writeAudit(tx, actor, {
      action: AuditAction.silenceCreated,
      targetType: 'silence',
      targetId: s.id,
      details: { matchers: input.matchers as Prisma.InputJsonValue, endsAt: endsAt.toISOString() },
    });
    return silenceView(s, now);
  });
}

export async function listSilences(t: TenantDb, teamIds: readonly string[], opts: { includeExpired?: boolean } = {}, now = Date.now()): Promise<SilenceView[]> {
  const rows = await t.silence.findMany({
    where: { teamId: { in: [...teamIds] }, ...(opts.includeExpired ? {} : { endsAt: { gt: new Date(now) } }) },
    orderBy: [{ endsAt: 'desc' }, { id: 'asc' }],
    take: 500,
  });
  return rows.map((s) => silenceView(s, now));
}

/** The team owning a silence of this workspace, or null. */
export async function silenceTeam(t: TenantDb, id: string): Promise<string | null> {
  return (await t.silence.findUnique({ where: { id }, select: { teamId: true } }))?.teamId ?? null;
}

/** Ends a silence now (it stays listed as expired). */
export async function expireSilence(t: TenantDb, actor: Actor, teamIds: readonly string[], id: string, now = Date.now()): Promise<SilenceView> {
  const s = await t.silence.findFirst({ where: { id, teamId: { in: [...teamIds] } } });
  if (!s) throw new VigilError('NOT_FOUND', 'silence not found');
  return t.$transaction(async (tx) => {
    const end = new Date(Math.min(now, s.endsAt.getTime()));
    const row = await tx.silence.update({ where: { id: s.id }, data: { endsAt: end, ...(s.startsAt.getTime() > end.getTime() ? { startsAt: end } : {}) } });
    await writeAudit(tx, actor, { action: AuditAction.silenceExpired, targetType: 'silence', targetId: s.id });
    return silenceView(row, now);
  });
}

/** A team's silences in effect at `now`, as the evaluator applies them. */
export async function activeSilences(q: Executor, organizationId: string, teamId: string, now: number): Promise<{ matchers: unknown; startsAt: number; endsAt: number }[]> {
  const { rows } = await q.query<{ matchers: unknown; starts_at: Date; ends_at: Date }>(
    `SELECT matchers, starts_at, ends_at FROM silences WHERE organization_id = $1 AND team_id = $2 AND starts_at <= $3 AND ends_at > $3`,
    [organizationId, teamId, new Date(now)],
  );
  return rows.map((r) => ({ matchers: r.matchers, startsAt: r.starts_at.getTime(), endsAt: r.ends_at.getTime() }));
}
