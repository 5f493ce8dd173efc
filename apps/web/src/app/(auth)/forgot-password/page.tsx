import type { Metadata } from 'next';
import { ForgotPasswordForm } from '~/features/auth/password-reset-forms';

export const metadata: Metadata = { title: 'Reset your password' };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1>Reset your password</h1>
      <p className="ui-muted" style={{ marginBottom: 16 }}>
        Enter the email you sign in with and we will send you a link to choose a new password.
      </p>
      <ForgotPasswordForm />
    </>
  );
}
