import type { ApiKeyScope } from '@vigil/contracts';
import type { PrismaClient } from './generated/prisma/client.js';
import { apiKeyFromSecret, DEFAULT_KEY_SCOPES } from './api-keys.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { slugify } from './slug.js';

export interface WorkspaceInit {
  organization: string;
  project: string;
  apiKey: string;
  userEmail: string;
  userPassword: string;
  userName?: string;
  team?: string;
  /** The initial key's scopes (VIGIL_INIT_API_KEY_SCOPES); default ingest and read. */
  apiKeyScopes?: ApiKeyScope[];
}

export interface WorkspaceIds {
  organizationId: string;
  teamId: string;
  projectId: string;
  apiKeyId: string;
  userId: string;
  created: boolean;
}

/** The initial user exists already and the given password is not theirs: nothing was changed. */
export class InitialUserPasswordMismatchError extends Error {
  constructor(email: string) {
    super(
      `the initial user ${email} already exists and VIGIL_INIT_USER_PASSWORD is not their password: ` +
        "nothing was changed (give that user's current password, or another VIGIL_INIT_USER_EMAIL)",
    );
    this.name = 'InitialUserPasswordMismatchError';
  }
}

/**
 * Creates (idempotently) a workspace with one team, one project holding the given key (ingest
 * and read, or the scopes given: a changed scope list is applied to the existing key), and an owner who signs in with the given email and password. Running it again with the
 * same values changes nothing; it never rotates an existing user's password. An existing user
 * is made owner only when the given password is theirs: whoever can set the init variables must
 * not be able to promote an account they cannot sign in to.
 */
export async function ensureWorkspace(
  prisma: PrismaClient,
  init: WorkspaceInit,
): Promise<WorkspaceIds> {
  const key = apiKeyFromSecret(init.apiKey);
  const email = init.userEmail.trim().toLowerCase();
  const orgSlug = slugify(init.organization);
  const teamName = init.team ?? 'Core';
  const passwordHash = await hashPassword(init.userPassword);
  // Password checks (scrypt) run before the transaction: on a loaded host they can take seconds,
  // and an interactive transaction that outlives its timeout is rolled back half-way.
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) await assertInitialPassword(prisma, existing.id, email, init.userPassword);

  return prisma.$transaction(
    async (tx) => {
      let created = false;
      let org = await tx.organization.findUnique({ where: { slug: orgSlug } });
      if (!org) {
        org = await tx.organization.create({ data: { name: init.organization, slug: orgSlug } });
        created = true;
      }
      let user = await tx.user.findUnique({ where: { email } });
      if (user) {
        // Verified above; a user created meanwhile by someone else is checked here.
        if (user.id !== existing?.id)
          await assertInitialPassword(tx, user.id, email, init.userPassword);
      } else {
        user = await tx.user.create({
          data: { email, name: init.userName ?? email.split('@')[0] ?? email, emailVerified: true },
        });
        await tx.account.create({
          data: {
            userId: user.id,
            accountId: user.id,
            providerId: 'credential',
            password: passwordHash,
          },
        });
      }
      await tx.membership.upsert({
        where: { organizationId_userId: { organizationId: org.id, userId: user.id } },
        create: { organizationId: org.id, userId: user.id, role: 'OWNER' },
        update: {},
      });
      const team = await tx.team.upsert({
        where: { organizationId_slug: { organizationId: org.id, slug: slugify(teamName) } },
        create: { organizationId: org.id, name: teamName, slug: slugify(teamName) },
        update: {},
      });
      await tx.teamMember.upsert({
        where: { teamId_userId: { teamId: team.id, userId: user.id } },
        create: { organizationId: org.id, teamId: team.id, userId: user.id, role: 'MAINTAINER' },
        update: {},
      });
      const project = await tx.project.upsert({
        where: { organizationId_slug: { organizationId: org.id, slug: slugify(init.project) } },
        create: {
          organizationId: org.id,
          teamId: team.id,
          name: init.project,
          slug: slugify(init.project),
        },
        update: {},
      });
      let apiKey = await tx.apiKey.findUnique({ where: { hash: key.hash } });
      if (apiKey && apiKey.projectId !== project.id) {
        throw new Error('the initial API key is already registered to another project');
      }
      const scopes = [...new Set(init.apiKeyScopes ?? DEFAULT_KEY_SCOPES)].sort();
      if (apiKey && [...apiKey.scopes].sort().join() !== scopes.join()) {
        apiKey = await tx.apiKey.update({ where: { id: apiKey.id }, data: { scopes } });
      }
      if (!apiKey) {
        apiKey = await tx.apiKey.create({
          data: {
            organizationId: org.id,
            projectId: project.id,
            name: 'Initial key',
            prefix: key.prefix,
            hash: key.hash,
            scopes,
            createdById: user.id,
          },
        });
      }
      return {
        organizationId: org.id,
        teamId: team.id,
        projectId: project.id,
        apiKeyId: apiKey.id,
        userId: user.id,
        created,
      };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

type AccountReader = Pick<PrismaClient, 'account'>;

async function assertInitialPassword(
  db: AccountReader,
  userId: string,
  email: string,
  password: string,
): Promise<void> {
  const accounts = await db.account.findMany({
    where: { userId, providerId: 'credential' },
    select: { password: true },
  });
  const verified = await Promise.all(
    accounts.map((a) => (a.password ? verifyPassword(a.password, password) : false)),
  );
  if (!verified.includes(true)) throw new InitialUserPasswordMismatchError(email);
}
