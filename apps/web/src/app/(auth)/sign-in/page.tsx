import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '~/features/auth/sign-in-form';
import { safeNextPath } from '~/lib/safe-next';
import { currentSession } from '~/server/session';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNextPath((await searchParams).next);
  if (await currentSession()) redirect(next);
  return (
    <>
      <h1>Sign in to Vigil</h1>
      <p className="ui-muted" style={{ marginBottom: 16 }}>
        Monitor data quality, drift and performance of every model.
      </p>
      <SignInForm next={next} />
    </>
  );
}
