import { createHash, randomBytes } from 'node:crypto';
import { AuditAction, INVITATION_TTL_DAYS, VigilError, type OrgRole } from '@vigil/contracts';
import { writeAudit, type Actor } from './audit.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { TenantDb } from './tenant.js';

/** Invitations by link: only the hash of a token is stored, the link holds the token itself. */

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function statusOf(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  if (inv.expiresAt <= now) return 'expired';
  return 'pending';
}

export async function listInvitations(t: TenantDb) {
  const rows = await t.invitation.findMany({ orderBy: { createdAt: 'desc' }, take: 100 });
  return rows.map(({ tokenHash: _hash, ...inv }) => ({ ...inv, status: statusOf(inv) }));
}

/** Creates an invitation; returns it with its token, which is shown once (in the link) and cannot be recovered. */
export async function createInvitation(t: TenantDb, actor: Actor & { userId: string; role: OrgRole }, email: string, role: OrgRole) {
  if (role === 'OWNER' && actor.role !== 'OWNER') throw new VigilError('FORBIDDEN', 'only owners can invite owners');
  const existing = await t.user.findUnique({ where: { email }, select: { id: true } });
  if (existing && (await t.membership.count({ where: { userId: existing.id } })) > 0) {
    throw new VigilError('CONFLICT', `${email} is already a member of this workspace`);
  }
  const token = randomBytes(32).toString('base64url');
  const invitation = await t.$transaction(async (tx) => {
    const invitation = await tx.invitation.create({
      data: {
        organizationId: actor.organizationId,
        email,
        role,
        tokenHash: hashToken(token),
        invitedById: actor.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
      },
    });
    await writeAudit(tx, actor, { action: AuditAction.invitationCreated, targetType: 'invitation', targetId: invitation.id, details: { email, role } });
    return invitation;
  });
  return { id: invitation.id, email: invitation.email, role: invitation.role, token };
}

export async function revokeInvitation(t: TenantDb, actor: Actor, invitationId: string): Promise<{ id: string }> {
  return t.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { id: invitationId } });
    if (!inv) throw new VigilError('NOT_FOUND', 'invitation not found');
    if (statusOf(inv) !== 'pending') throw new VigilError('CONFLICT', `this invitation is already ${statusOf(inv)}`);
    await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
    await writeAudit(tx, actor, { action: AuditAction.invitationRevoked, targetType: 'invitation', targetId: inv.id, details: { email: inv.email } });
    return { id: inv.id };
  });
}

/** What an invitation link offers, for the page it opens. Holding the token is the permission. */
export async function previewInvitation(system: PrismaClient, token: string) {
  const inv = await system.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!inv) throw new VigilError('NOT_FOUND', 'this invitation link is not valid');
  const org = await system.organization.findUniqueOrThrow({ where: { id: inv.organizationId }, select: { name: true } });
  return { workspaceName: org.name, email: inv.email, role: inv.role, status: statusOf(inv), expiresAt: inv.expiresAt };
}

/**
 * Joins the workspace with the invited role and makes it the session's active workspace. Only
 * the invited address can use the link, once.
 */
export async function acceptInvitation(
  system: PrismaClient,
  forTenant: (organizationId: string) => TenantDb,
  user: { id: string; email: string },
  sessionId: string,
  token: string,
): Promise<{ organizationId: string }> {
  const inv = await system.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!inv) throw new VigilError('NOT_FOUND', 'this invitation link is not valid');
  const status = statusOf(inv);
  if (status === 'expired') throw new VigilError('FORBIDDEN', 'this invitation has expired: ask for a new one');
  if (status === 'revoked') throw new VigilError('FORBIDDEN', 'this invitation was revoked');
  if (status === 'accepted') throw new VigilError('CONFLICT', 'this invitation has already been used');
  if (inv.email.toLowerCase() !== user.email.toLowerCase()) {
    throw new VigilError('FORBIDDEN', `this invitation is for ${inv.email}: sign in with that address to accept it`);
  }
  await forTenant(inv.organizationId).$transaction(async (tx) => {
    if ((await tx.membership.count({ where: { userId: user.id } })) > 0) {
      throw new VigilError('CONFLICT', 'you are already a member of this workspace');
    }
    // Claims the invitation atomically: a concurrent accept finds it already used.
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count !== 1) throw new VigilError('CONFLICT', 'this invitation has already been used');
    await tx.membership.create({ data: { organizationId: inv.organizationId, userId: user.id, role: inv.role } });
    await writeAudit(tx, { organizationId: inv.organizationId, userId: user.id }, {
      action: AuditAction.invitationAccepted,
      targetType: 'invitation',
      targetId: inv.id,
      details: { email: inv.email, role: inv.role },
    });
  });
  await system.session.update({ where: { id: sessionId }, data: { activeOrganizationId: inv.organizationId } });
  return { organizationId: inv.organizationId };
}
