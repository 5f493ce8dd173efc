import { createAuthClient } from 'better-auth/react';

/** Talks to the auth routes of this same origin (/api/auth). */
export const authClient = createAuthClient();
