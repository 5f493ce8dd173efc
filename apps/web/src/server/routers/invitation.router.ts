import { createHash, randomBytes } from 'node:crypto';
import {
  AuditAction,
  INVITATION_TTL_DAYS,
  InvitationCreateInputSchema,
  InvitationIdInputSchema,
  InvitationTokenInputSchema,
  VigilError,
} from '@vigil/contracts';
import { env } from '~/env';
import { writeAudit } from '../audit';
import { adminProcedure, authedProcedure, publicProcedure, router } from '../trpc';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** Only the hash of an invitation token is stored; the link holds the token itself. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function statusOf(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  if (inv.expiresAt <= now) return 'expired';
  return 'pending';
}

export const invitationRouter = router({
  list: adminProcedure.query(async ({ ctx }) => {
    const rows = await ctx.tenant.invitation.findMany({ orderBy: { createdAt: 'desc' }, take: 100 });
    return rows.map(({ tokenHash: _hash, ...inv }) => ({ ...inv, status: statusOf(inv) }));
  }),

  /** Creates an invitation and returns its link; the link is shown once and cannot be recovered. */
  create: adminProcedure.input(InvitationCreateInputSchema).mutation(async ({ ctx, input }) => {
    if (input.role === 'OWNER' && ctx.role !== 'OWNER') throw new VigilError('FORBIDDEN', 'only owners can invite owners');
    const existing = await ctx.db.system.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing && (await ctx.tenant.membership.count({ where: { userId: existing.id } })) > 0) {
      throw new VigilError('CONFLICT', `${input.email} is already a member of this workspace`);
    }
    const token = randomBytes(32).toString('base64url');
    const invitation = await ctx.tenant.$transaction(async (tx) => {
      const invitation = await tx.invitation.create({
        data: {
          organizationId: ctx.organization.id,
          email: input.email,
          role: input.role,
          tokenHash: hashToken(token),
          invitedById: ctx.user.id,
          expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
        },
      });
      await writeAudit(tx, ctx, {
        action: AuditAction.invitationCreated,
        targetType: 'invitation',
        targetId: invitation.id,
        details: { email: input.email, role: input.role },
      });
      return invitation;
    });
    return { id: invitation.id, email: invitation.email, role: invitation.role, link: `${env().WEB_URL}/invite/${token}` };
  }),

  revoke: adminProcedure.input(InvitationIdInputSchema).mutation(async ({ ctx, input }) => {
    return ctx.tenant.$transaction(async (tx) => {
      const inv = await tx.invitation.findUnique({ where: { id: input.invitationId } });
      if (!inv) throw new VigilError('NOT_FOUND', 'invitation not found');
      if (statusOf(inv) !== 'pending') throw new VigilError('CONFLICT', `this invitation is already ${statusOf(inv)}`);
      await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
      await writeAudit(tx, ctx, {
        action: AuditAction.invitationRevoked,
        targetType: 'invitation',
        targetId: inv.id,
        details: { email: inv.email },
      });
      return { id: inv.id };
    });
  }),

  /** What an invitation link offers, for the page it opens. Holding the token is the permission. */
  preview: publicProcedure.input(InvitationTokenInputSchema).query(async ({ ctx, input }) => {
    const inv = await ctx.db.system.invitation.findUnique({ where: { tokenHash: hashToken(input.token) } });
    if (!inv) throw new VigilError('NOT_FOUND', 'this invitation link is not valid');
    const org = await ctx.db.system.organization.findUniqueOrThrow({ where: { id: inv.organizationId }, select: { name: true } });
    return { workspaceName: org.name, email: inv.email, role: inv.role, status: statusOf(inv), expiresAt: inv.expiresAt };
  }),

  /** Joins the workspace with the invited role; only the invited address can use the link, once. */
  accept: authedProcedure.input(InvitationTokenInputSchema).mutation(async ({ ctx, input }) => {
    const s = ctx.db.system;
    const inv = await s.invitation.findUnique({ where: { tokenHash: hashToken(input.token) } });
    if (!inv) throw new VigilError('NOT_FOUND', 'this invitation link is not valid');
    const status = statusOf(inv);
    if (status === 'expired') throw new VigilError('FORBIDDEN', 'this invitation has expired: ask for a new one');
    if (status === 'revoked') throw new VigilError('FORBIDDEN', 'this invitation was revoked');
    if (status === 'accepted') throw new VigilError('CONFLICT', 'this invitation has already been used');
    if (inv.email.toLowerCase() !== ctx.user.email.toLowerCase()) {
      throw new VigilError('FORBIDDEN', `this invitation is for ${inv.email}: sign in with that address to accept it`);
    }
    const tenant = ctx.db.forTenant(inv.organizationId);
    await tenant.$transaction(async (tx) => {
      if ((await tx.membership.count({ where: { userId: ctx.user.id } })) > 0) {
        throw new VigilError('CONFLICT', 'you are already a member of this workspace');
      }
      // Claims the invitation atomically: a concurrent accept finds it already used.
      const claimed = await tx.invitation.updateMany({
        where: { id: inv.id, acceptedAt: null, revokedAt: null },
        data: { acceptedAt: new Date() },
      });
      if (claimed.count !== 1) throw new VigilError('CONFLICT', 'this invitation has already been used');
      await tx.membership.create({ data: { organizationId: inv.organizationId, userId: ctx.user.id, role: inv.role } });
      await writeAudit(tx, { organization: { id: inv.organizationId }, user: ctx.user }, {
        action: AuditAction.invitationAccepted,
        targetType: 'invitation',
        targetId: inv.id,
        details: { email: inv.email, role: inv.role },
      });
    });
    await s.session.update({ where: { id: ctx.session.id }, data: { activeOrganizationId: inv.organizationId } });
    return { organizationId: inv.organizationId };
  }),
});
