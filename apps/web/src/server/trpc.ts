import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import {
  AlertIdInputSchema,
  AlertRuleIdInputSchema,
  ChannelIdInputSchema,
  ErrorCode,
  ModelIdInputSchema,
  ProjectIdInputSchema,
  SilenceIdInputSchema,
  TeamIdInputSchema,
  unstorableTextError,
  VigilError,
  type OrgRole,
} from '@vigil/contracts';
import {
  alertRuleTeam,
  alertTeam,
  channelTeam,
  findMembership,
  getModel,
  getProject,
  getTeam,
  silenceTeam,
  teamMembershipsOf,
  teamRoleOf,
  workspaceTeamIds,
  type Db,
  type TenantDb,
} from '@vigil/db';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { getSessionFromHeaders, type AuthSession } from './auth';
import { getDb } from './db';

export interface Context {
  db: Db;
  session: AuthSession | null;
  headers: Headers;
  /**
   * Lookups the queries of this one request share (its membership, its teams): set for a real
   * request — an HTTP call or a page's server render — and absent for long-lived callers.
   */
  requestLookups?: Map<string, Promise<unknown>>;
}

/** Builds the request context: the database handle and the session from the cookie. */
export async function createContext(opts: { headers: Headers }): Promise<Context> {
  return { db: getDb(), session: await getSessionFromHeaders(opts.headers), headers: opts.headers, requestLookups: new Map() };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms (from input parsing or a domain validation); never a stack trace.
        fieldErrors:
          cause instanceof ZodError
            ? cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
            : cause instanceof VigilError
              ? domainFieldErrors(cause)
              : null,
        stack: undefined,
      },
    };
  },
});

/** `details.errors` of a VALIDATION_FAILED domain error (`[{ path, message }]`), else null. */
function domainFieldErrors(error: VigilError): { path: string; message: string }[] | null {
  const errors = error.details?.errors;
  if (error.code !== 'VALIDATION_FAILED' || !Array.isArray(errors)) return null;
  return errors.flatMap((e: unknown) => {
    const { path, message } = (e ?? {}) as { path?: unknown; message?: unknown };
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Every domain error code has exactly one tRPC code. */
const TRPC_CODE: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  VALIDATION_FAILED: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  LIMIT_EXCEEDED: 'CONFLICT',
  REQUEST_TIMEOUT: 'TIMEOUT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  STORAGE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  OVERLOADED: 'SERVICE_UNAVAILABLE',
  HANDLER_TIMEOUT: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** Prisma's known request errors that are the caller's doing, not the server's. */
function prismaCode(cause: unknown): TRPC_ERROR_CODE_KEY | null {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'P2002') return 'CONFLICT';
  if (code === 'P2025') return 'NOT_FOUND';
  return null;
}

/** The one place domain errors become tRPC errors. */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof VigilError) return new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  const fromPrisma = prismaCode(cause);
  if (fromPrisma === 'CONFLICT') return new TRPCError({ code: 'CONFLICT', message: 'that name is already taken', cause });
  if (fromPrisma === 'NOT_FOUND') return new TRPCError({ code: 'NOT_FOUND', message: 'not found', cause });
  return error;
}

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

/**
 * Text Postgres cannot store (NUL, unpaired surrogates) is refused before any procedure runs,
 * as a validation error at its field, instead of failing later as a database error.
 */
const refuseUnstorableInput = t.middleware(async ({ getRawInput, next }) => {
  const unstorable = unstorableTextError(await getRawInput());
  if (unstorable) throw unstorable;
  return next();
});

// ─── the access ladder: each rung checks once and hands the next a narrower context ───

export const publicProcedure = t.procedure.use(mapErrors).use(refuseUnstorableInput);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new VigilError('UNAUTHENTICATED', 'sign in to continue');
  return next({ ctx: { session: ctx.session.session, user: ctx.session.user } });
});

export const ADMIN_ROLES: readonly OrgRole[] = ['OWNER', 'ADMIN'];
export const isAdminRole = (role: OrgRole) => ADMIN_ROLES.includes(role);

/**
 * A member of the session's active workspace. Hands procedures a tenant-scoped client.
 * Viewers read only: every mutation below this rung is refused for them here, once.
 */
export const workspaceProcedure = authedProcedure.use(async ({ ctx, type, next }) => next({ ctx: await workspaceAccess(ctx, type) }));

/**
 * The rung itself, for route handlers that are not procedures (file downloads and uploads): the
 * session's active workspace, the caller's role in it and a tenant-scoped client. `type`
 * 'mutation' refuses viewers.
 */
export async function workspaceAccess(
  ctx: { db: Db; session: { activeOrganizationId?: string | null }; user: { id: string }; requestLookups?: Context['requestLookups'] },
  type: string,
) {
  const organizationId = ctx.session.activeOrganizationId;
  if (!organizationId) throw new VigilError('FORBIDDEN', 'choose a workspace first');
  const membership = await oncePerRequest(ctx.requestLookups, type, `membership:${organizationId}`, () => findMembership(ctx.db.system, organizationId, ctx.user.id));
  if (!membership) throw new VigilError('FORBIDDEN', 'you are not a member of this workspace');
  if (type === 'mutation' && membership.role === 'VIEWER') {
    throw new VigilError('FORBIDDEN', 'viewers have read-only access');
  }
  return {
    organization: membership.organization,
    role: membership.role,
    tenant: ctx.db.forTenant(organizationId),
    /** Who acts, for the audit rows the data layer writes. */
    actor: { organizationId, userId: ctx.user.id },
  };
}

/**
 * Queries of one request (a page's server render runs several procedures; a client batch too)
 * share one lookup of the caller's membership and teams (`Context.requestLookups`). Mutations,
 * and callers without a request, always read afresh.
 */
function oncePerRequest<T>(lookups: Map<string, Promise<unknown>> | undefined, type: string, key: string, load: () => Promise<T>): Promise<T> {
  if (!lookups || type === 'mutation') return load();
  let found = lookups.get(key) as Promise<T> | undefined;
  if (!found) {
    found = load();
    found.catch(() => lookups.delete(key));
    lookups.set(key, found);
  }
  return found;
}

/** Workspace owners and admins: members, invitations, audit log. */
export const adminProcedure = workspaceProcedure.use(({ ctx, next }) => {
  if (!isAdminRole(ctx.role)) throw new VigilError('FORBIDDEN', 'only workspace owners and admins can do this');
  return next();
});

async function requireTeamMaintainer(ctx: { role: OrgRole; user: { id: string }; tenant: TenantDb }, teamId: string): Promise<void> {
  if (isAdminRole(ctx.role)) return;
  if ((await teamRoleOf(ctx.tenant, teamId, ctx.user.id)) !== 'MAINTAINER') {
    throw new VigilError('FORBIDDEN', 'only maintainers of this team and workspace admins can do this');
  }
}

/** A maintainer of the team named by `teamId` (or a workspace admin). */
export const teamMaintainerProcedure = workspaceProcedure.input(TeamIdInputSchema).use(async ({ ctx, input, next }) => {
  const team = await getTeam(ctx.tenant, input.teamId);
  await requireTeamMaintainer(ctx, team.id);
  return next({ ctx: { team } });
});

/** A maintainer of the team owning the model named by `modelId`'s project (or a workspace admin). */
export const modelMaintainerProcedure = workspaceProcedure
  .input(ModelIdInputSchema)
  .use(async ({ ctx, input, next }) => next({ ctx: await requireModelMaintainer(ctx, input.modelId) }));

/** The model and its project, when the caller maintains the project's team (or is a workspace admin). */
export async function requireModelMaintainer(ctx: { role: OrgRole; user: { id: string }; tenant: TenantDb }, modelId: string) {
  const model = await getModel(ctx.tenant, modelId);
  const project = await getProject(ctx.tenant, model.projectId);
  await requireTeamMaintainer(ctx, project.teamId);
  return { model, project };
}

/** A maintainer of the team owning the project named by `projectId` (or a workspace admin). */
export const projectMaintainerProcedure = workspaceProcedure.input(ProjectIdInputSchema).use(async ({ ctx, input, next }) => {
  const project = await getProject(ctx.tenant, input.projectId);
  await requireTeamMaintainer(ctx, project.teamId);
  return next({ ctx: { project } });
});


// ─── alerting: a team's rules, channels, silences, alerts and notification policy ───

/** Which teams' alerting the caller sees and which they may change (a subset). */
export interface AlertingAccess {
  readTeamIds: readonly string[];
  changeTeamIds: readonly string[];
}

/**
 * Owners and admins: every team of the workspace, to read and change. Everyone else: the teams
 * they belong to, changing only those they maintain (viewers change nothing).
 */
async function alertingAccessOf(ctx: { role: OrgRole; user: { id: string }; tenant: TenantDb }): Promise<AlertingAccess> {
  if (isAdminRole(ctx.role)) {
    const teamIds = await workspaceTeamIds(ctx.tenant);
    return { readTeamIds: teamIds, changeTeamIds: teamIds };
  }
  const rows = await teamMembershipsOf(ctx.tenant, ctx.user.id);
  return {
    readTeamIds: rows.map((r) => r.teamId),
    changeTeamIds: ctx.role === 'VIEWER' ? [] : rows.filter((r) => r.role === 'MAINTAINER').map((r) => r.teamId),
  };
}

const CHANGE_REFUSED = 'only maintainers of this team and workspace admins can change its alerting';

/**
 * A workspace member's alerting: hands procedures the teams they may read and change, and the
 * actor the data layer writes audit rows for. Lists pass `access.readTeamIds` on as they are.
 */
export const alertingProcedure = workspaceProcedure.use(async ({ ctx, type, next }) => {
  return next({ ctx: { access: await oncePerRequest(ctx.requestLookups, type, `alerting:${ctx.organization.id}`, () => alertingAccessOf(ctx)) } });
});


/** The teams a list covers: all the caller reads, or the one asked for (NOT_FOUND when unreadable). */
export function teamsToList(access: AlertingAccess, teamId: string | undefined): string[] {
  if (teamId === undefined) return [...access.readTeamIds];
  if (!access.readTeamIds.includes(teamId)) throw new VigilError('NOT_FOUND', 'team not found');
  return [teamId];
}

/**
 * The alerting of the team named by `teamId`. Queries need read access (else NOT_FOUND, as for
 * any object the caller cannot see); mutations create or set something for the team and need
 * one of its maintainers or a workspace admin (FORBIDDEN). Teams themselves are visible to the
 * whole workspace, so refusing a change to a known team reveals nothing.
 */
export const alertingTeamProcedure = alertingProcedure.input(TeamIdInputSchema).use(async ({ ctx, input, type, next }) => {
  const team = await getTeam(ctx.tenant, input.teamId);
  if (type === 'mutation') {
    if (!ctx.access.changeTeamIds.includes(team.id)) throw new VigilError('FORBIDDEN', CHANGE_REFUSED);
  } else if (!ctx.access.readTeamIds.includes(team.id)) {
    throw new VigilError('NOT_FOUND', 'team not found');
  }
  return next({ ctx: { team } });
});

/**
 * The one access rule for an existing alerting object, given the team that owns it (null: no
 * such object in this workspace). Invisible → NOT_FOUND; visible but a mutation by someone who
 * may not change the team → FORBIDDEN. Returns the team ids to hand the data layer, which
 * narrows to them once more.
 */
function authorizeObject(access: AlertingAccess, type: string, teamId: string | null | undefined, what: string): string[] {
  if (!teamId || !access.readTeamIds.includes(teamId)) throw new VigilError('NOT_FOUND', `${what} not found`);
  if (type === 'mutation' && !access.changeTeamIds.includes(teamId)) throw new VigilError('FORBIDDEN', CHANGE_REFUSED);
  return [teamId];
}

/** The alert rule named by `ruleId`: read by its team's members, changed by its maintainers and admins. */
export const alertRuleProcedure = alertingProcedure.input(AlertRuleIdInputSchema).use(async ({ ctx, input, type, next }) => {
  return next({ ctx: { teamIds: authorizeObject(ctx.access, type, await alertRuleTeam(ctx.tenant, input.ruleId), 'alert rule') } });
});

/** The notification channel named by `channelId` (same rule). */
export const channelProcedure = alertingProcedure.input(ChannelIdInputSchema).use(async ({ ctx, input, type, next }) => {
  return next({ ctx: { teamIds: authorizeObject(ctx.access, type, await channelTeam(ctx.tenant, input.channelId), 'channel') } });
});

/** The silence named by `silenceId` (same rule). */
export const silenceProcedure = alertingProcedure.input(SilenceIdInputSchema).use(async ({ ctx, input, type, next }) => {
  return next({ ctx: { teamIds: authorizeObject(ctx.access, type, await silenceTeam(ctx.tenant, input.silenceId), 'silence') } });
});

/** The alert named by `alertId`, owned by its rule's team (same rule; acknowledging is a change). */
export const alertProcedure = alertingProcedure.input(AlertIdInputSchema).use(async ({ ctx, input, type, next }) => {
  return next({ ctx: { teamIds: authorizeObject(ctx.access, type, await alertTeam(ctx.tenant, input.alertId), 'alert') } });
});
