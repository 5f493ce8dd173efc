import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignUpForm } from '~/features/auth/sign-up-form';
import { currentSession } from '~/server/session';

export const metadata: Metadata = { title: 'Create your account' };
export const dynamic = 'force-dynamic';

export default async function SignUpPage() {
  if (await currentSession()) redirect('/');
  return (
    <>
      <h1>Create your account</h1>
      <p className="ui-muted" style={{ marginBottom: 16 }}>
        You will own a new workspace. Joining a colleague’s workspace? Open the invitation link they sent you.
      </p>
      <SignUpForm />
    </>
  );
}
