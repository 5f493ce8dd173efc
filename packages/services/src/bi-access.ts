import { VigilError } from '@vigil/contracts';
import { apiKeyCreatorRole, getBiLogin, issueBiLogin, revokeBiLogin, type Actor, type Db } from '@vigil/db';

/** Where BI tools connect: `VIGIL_BI_HOST` / `VIGIL_BI_PORT`, else the database's own host and port. */
export interface BiEndpoint {
  host: string;
  port: number;
  database: string;
}

/** What a BI tool needs to connect as the workspace's login; the password is shown once. */
export interface BiCredentials extends BiEndpoint {
  user: string;
  password: string;
  schema: 'bi';
}

export interface BiAccessStatus extends BiEndpoint {
  schema: 'bi';
  /** null: the workspace has no BI login. */
  login: { user: string; createdAt: Date; rotatedAt: Date } | null;
}

/** The endpoint BI tools are told to use: configured host and port, defaulting to DATABASE_URL's. */
export function biEndpoint(databaseUrl: string, overrides: { host?: string | undefined; port?: number | undefined } = {}): BiEndpoint {
  const url = new URL(databaseUrl);
  return {
    host: overrides.host ?? (decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || 'localhost'),
    port: overrides.port ?? (url.port ? Number(url.port) : 5432),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}

/** Creates the workspace's BI login, or rotates its password when it has one (audit-logged). */
export async function issueBiAccess(db: Db, actor: Actor, endpoint: BiEndpoint): Promise<BiCredentials> {
  const { user, password } = await issueBiLogin(db.pool, actor);
  return { ...endpoint, user, password, schema: 'bi' };
}

/** Revokes the workspace's BI login; false when it had none. */
export async function revokeBiAccess(db: Db, actor: Actor): Promise<boolean> {
  return revokeBiLogin(db.pool, actor);
}

export async function biAccessStatus(db: Db, organizationId: string, endpoint: BiEndpoint): Promise<BiAccessStatus> {
  return { ...endpoint, schema: 'bi', login: await getBiLogin(db.pool, organizationId) };
}

/**
 * The BI login reads every team's models of the workspace, so over REST it is managed only with
 * an admin key created by a workspace owner or admin who still is one (as in the web app, where
 * only they may). A key made by a team maintainer manages its project, not the workspace.
 */
export async function requireWorkspaceAdminKey(db: Db, organizationId: string, apiKeyId: string): Promise<void> {
  const role = await apiKeyCreatorRole(db.forTenant(organizationId), apiKeyId);
  if (role !== 'OWNER' && role !== 'ADMIN') {
    throw new VigilError('FORBIDDEN', 'BI access needs an admin key created by a workspace owner or admin');
  }
}
