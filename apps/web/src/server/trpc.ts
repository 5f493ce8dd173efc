import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ErrorCode, ProjectIdInputSchema, TeamIdInputSchema, VigilError, type OrgRole } from '@vigil/contracts';
import type { Db } from '@vigil/db';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { getSessionFromHeaders, type AuthSession } from './auth';
import { getDb } from './db';

export interface Context {
  db: Db;
  session: AuthSession | null;
  headers: Headers;
}

/** Builds the request context: the database handle and the session from the cookie. */
export async function createContext(opts: { headers: Headers }): Promise<Context> {
  return { db: getDb(), session: await getSessionFromHeaders(opts.headers), headers: opts.headers };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms; never a stack trace.
        fieldErrors: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : null,
        stack: undefined,
      },
    };
  },
});

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
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  STORAGE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
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

// ─── the access ladder: each rung checks once and hands the next a narrower context ───

export const publicProcedure = t.procedure.use(mapErrors);

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
export const workspaceProcedure = authedProcedure.use(async ({ ctx, type, next }) => {
  const organizationId = ctx.session.activeOrganizationId;
  if (!organizationId) throw new VigilError('FORBIDDEN', 'choose a workspace first');
  const membership = await ctx.db.system.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId: ctx.user.id } },
    select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
  });
  if (!membership) throw new VigilError('FORBIDDEN', 'you are not a member of this workspace');
  if (type === 'mutation' && membership.role === 'VIEWER') {
    throw new VigilError('FORBIDDEN', 'viewers have read-only access');
  }
  return next({
    ctx: { organization: membership.organization, role: membership.role, tenant: ctx.db.forTenant(organizationId) },
  });
});

/** Workspace owners and admins: members, invitations, audit log. */
export const adminProcedure = workspaceProcedure.use(({ ctx, next }) => {
  if (!isAdminRole(ctx.role)) throw new VigilError('FORBIDDEN', 'only workspace owners and admins can do this');
  return next();
});

async function requireTeamMaintainer(
  ctx: { role: OrgRole; user: { id: string }; tenant: ReturnType<Db['forTenant']> },
  teamId: string,
): Promise<void> {
  if (isAdminRole(ctx.role)) return;
  const m = await ctx.tenant.teamMember.findUnique({ where: { teamId_userId: { teamId, userId: ctx.user.id } } });
  if (m?.role !== 'MAINTAINER') throw new VigilError('FORBIDDEN', 'only maintainers of this team and workspace admins can do this');
}

/** A maintainer of the team named by `teamId` (or a workspace admin). */
export const teamMaintainerProcedure = workspaceProcedure.input(TeamIdInputSchema).use(async ({ ctx, input, next }) => {
  const team = await ctx.tenant.team.findUnique({ where: { id: input.teamId } });
  if (!team) throw new VigilError('NOT_FOUND', 'team not found');
  await requireTeamMaintainer(ctx, team.id);
  return next({ ctx: { team } });
});

/** A maintainer of the team owning the project named by `projectId` (or a workspace admin). */
export const projectMaintainerProcedure = workspaceProcedure.input(ProjectIdInputSchema).use(async ({ ctx, input, next }) => {
  const project = await ctx.tenant.project.findUnique({ where: { id: input.projectId } });
  if (!project) throw new VigilError('NOT_FOUND', 'project not found');
  await requireTeamMaintainer(ctx, project.teamId);
  return next({ ctx: { project } });
});

