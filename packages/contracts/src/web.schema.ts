import { z } from 'zod';
import { ApiKeyScopeSchema, OrgRoleSchema, TeamRoleSchema } from './access.js';

/**
 * Inputs of the web app's tRPC procedures. They cross the browser → server boundary, so they
 * live here with the other boundary schemas; the routers validate with exactly these.
 */

export const IdSchema = z.string().min(1).max(64);
export const DisplayNameSchema = z.string().trim().min(1, 'is required').max(80, 'at most 80 characters');
export const EmailSchema = z.string().trim().toLowerCase().email('is not an email address').max(254);

/** Raw event retention in days (the database accepts 1..3650). */
export const RetentionDaysSchema = z.coerce.number().int('whole days').min(1, 'at least 1 day').max(3650, 'at most 3650 days');

export const WorkspaceCreateInputSchema = z.object({ name: DisplayNameSchema });
export type WorkspaceCreateInput = z.infer<typeof WorkspaceCreateInputSchema>;
export const WorkspaceSwitchInputSchema = z.object({ organizationId: IdSchema });

export const MemberUpdateRoleInputSchema = z.object({ userId: IdSchema, role: OrgRoleSchema });
export type MemberUpdateRoleInput = z.infer<typeof MemberUpdateRoleInputSchema>;
export const MemberRemoveInputSchema = z.object({ userId: IdSchema });

/** Invitation links are valid this long unless revoked. */
export const INVITATION_TTL_DAYS = 7;
export const InvitationCreateInputSchema = z.object({ email: EmailSchema, role: OrgRoleSchema });
export type InvitationCreateInput = z.infer<typeof InvitationCreateInputSchema>;
export const InvitationIdInputSchema = z.object({ invitationId: IdSchema });
export const InvitationTokenInputSchema = z.object({ token: z.string().min(20).max(200) });

export const TeamCreateInputSchema = z.object({ name: DisplayNameSchema });
export type TeamCreateInput = z.infer<typeof TeamCreateInputSchema>;
export const TeamIdInputSchema = z.object({ teamId: IdSchema });
export const TeamSetMemberInputSchema = z.object({ userId: IdSchema, role: TeamRoleSchema });
export const TeamRemoveMemberInputSchema = z.object({ userId: IdSchema });

export const ProjectIdInputSchema = z.object({ projectId: IdSchema });
export const ProjectCreateInputSchema = z.object({ name: DisplayNameSchema, retentionDays: RetentionDaysSchema.default(30) });
export type ProjectCreateInput = z.infer<typeof ProjectCreateInputSchema>;
export const ProjectUpdateInputSchema = z
  .object({ name: DisplayNameSchema.optional(), retentionDays: RetentionDaysSchema.optional() })
  .refine((v) => v.name !== undefined || v.retentionDays !== undefined, { message: 'nothing to change' });
export type ProjectUpdateInput = z.infer<typeof ProjectUpdateInputSchema>;

export const ApiKeyCreateInputSchema = z.object({
  name: DisplayNameSchema,
  scopes: z
    .array(ApiKeyScopeSchema)
    .min(1, 'choose at least one scope')
    .transform((s) => [...new Set(s)].sort()),
});
export type ApiKeyCreateInput = z.infer<typeof ApiKeyCreateInputSchema>;
export const ApiKeyIdInputSchema = z.object({ apiKeyId: IdSchema });

export const AuditListInputSchema = z.object({
  limit: z.number().int().min(1).max(200).default(100),
  /** Rows older than this id (cursor for the next page). */
  before: z.string().regex(/^\d+$/).optional(),
});

/** Audit actions, written by every entry point (web app, REST API), so the log page and tests name them the same way. */
export const AuditAction = {
  memberRoleChanged: 'member.role_changed',
  memberRemoved: 'member.removed',
  invitationCreated: 'invitation.created',
  invitationRevoked: 'invitation.revoked',
  invitationAccepted: 'invitation.accepted',
  teamCreated: 'team.created',
  teamMemberSet: 'team.member_set',
  teamMemberRemoved: 'team.member_removed',
  projectCreated: 'project.created',
  projectUpdated: 'project.updated',
  apiKeyCreated: 'api_key.created',
  apiKeyRevoked: 'api_key.revoked',
  workspaceCreated: 'workspace.created',
  alertRuleCreated: 'alert_rule.created',
  alertRuleUpdated: 'alert_rule.updated',
  alertRuleDeleted: 'alert_rule.deleted',
  channelCreated: 'channel.created',
  channelUpdated: 'channel.updated',
  channelDeleted: 'channel.deleted',
  silenceCreated: 'silence.created',
  silenceExpired: 'silence.expired',
  alertAcknowledged: 'alert.acknowledged',
  notificationPolicyUpdated: 'notification_policy.updated',
  modelUpdated: 'model.update',
  biAccessCreated: 'bi_access.created',
  biAccessRotated: 'bi_access.rotated',
  biAccessRevoked: 'bi_access.revoked',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** What an audit row is about: its `targetType`, with `targetId` the object's id. */
export const AUDIT_TARGET_TYPES = [
  'workspace',
  'member',
  'invitation',
  'team',
  'project',
  'api_key',
  'model',
  'alert_rule',
  'channel',
  'silence',
  'alert',
  'bi_access',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];
