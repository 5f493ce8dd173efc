import type { Metadata } from 'next';
import { ResetPasswordForm } from '~/features/auth/password-reset-forms';

export const metadata: Metadata = { title: 'Choose a new password' };
export const dynamic = 'force-dynamic';

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string; error?: string }> }) {
  const { token, error } = await searchParams;
  return (
    <>
      <h1 style={{ marginBottom: 16 }}>Choose a new password</h1>
      <ResetPasswordForm token={token ?? null} invalid={Boolean(error)} />
    </>
  );
}
