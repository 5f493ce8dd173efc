import { z } from 'zod';

export const OrgRole = { OWNER: 'OWNER', ADMIN: 'ADMIN', MEMBER: 'MEMBER', VIEWER: 'VIEWER' } as const;
export type OrgRole = (typeof OrgRole)[keyof typeof OrgRole];
export const OrgRoleSchema = z.enum(['OWNER', 'ADMIN', 'MEMBER', 'VIEWER']);

export const TeamRole = { MAINTAINER: 'MAINTAINER', MEMBER: 'MEMBER' } as const;
export type TeamRole = (typeof TeamRole)[keyof typeof TeamRole];
export const TeamRoleSchema = z.enum(['MAINTAINER', 'MEMBER']);

export const ApiKeyScope = { INGEST: 'ingest', READ: 'read', ADMIN: 'admin' } as const;
export type ApiKeyScope = (typeof ApiKeyScope)[keyof typeof ApiKeyScope];
export const ApiKeyScopeSchema = z.enum(['ingest', 'read', 'admin']);

/** API keys look like `vgl_<8 char prefix>_<secret>`; the prefix is shown, the whole is hashed. */
export const API_KEY_PATTERN = /^vgl_([a-z0-9]{8})_([A-Za-z0-9_-]{24,128})$/;
