import { randomBytes } from 'node:crypto';
import { getAuth } from '~/server/auth';
import { getDb } from '~/server/db';
import { createCaller } from '~/server/routers';
import { createContext } from '~/server/trpc';

export const PASSWORD = 'correct horse battery staple';

export interface TestUser {
  userId: string;
  email: string;
  /** `cookie` header of a real session created by the auth library. */
  cookie: string;
  caller: ReturnType<typeof createCaller>;
}

export const uniqueEmail = (who: string) => `${who}-${randomBytes(5).toString('hex')}@example.test`;

/** Cookie header (`name=value; …`) from a response's Set-Cookie headers. */
export function cookieFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A caller that, like a real request, reads the session afresh on every call. */
export async function callerFor(cookie: string) {
  return createCaller(() => createContext({ headers: new Headers({ cookie }) }));
}

/** Signs a new user up through the auth library and returns a tRPC caller with their session. */
export async function signUp(who: string, email = uniqueEmail(who)): Promise<TestUser> {
  const res = await getAuth().api.signUpEmail({ body: { email, name: who, password: PASSWORD }, returnHeaders: true });
  const cookie = cookieFrom(res.headers);
  if (!cookie.includes('session_token')) throw new Error(`sign-up set no session cookie: ${cookie}`);
  return { userId: res.response.user.id, email, cookie, caller: await callerFor(cookie) };
}

/** Another session for the same user (signed in again). */
export async function signIn(email: string, password = PASSWORD): Promise<string> {
  const res = await getAuth().api.signInEmail({ body: { email, password }, returnHeaders: true });
  return cookieFrom(res.headers);
}

/** The session row behind a cookie, for tests that tamper with it. */
export async function sessionOf(cookie: string) {
  const s = await getAuth().api.getSession({ headers: new Headers({ cookie }) });
  if (!s) throw new Error('no session for cookie');
  return getDb().system.session.findUniqueOrThrow({ where: { id: s.session.id } });
}
