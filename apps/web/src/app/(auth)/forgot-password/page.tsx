import type { Metadata } from 'next';
import { ForgotPasswordForm } from '~/features/auth/password-reset-forms';
import { RESET_DISABLED_MESSAGE } from '~/server/auth';
import { mailEnabled } from '~/server/mailer';

export const metadata: Metadata = { title: 'Reset your password' };
// Whether a mail server is configured is read at request time, not at build time.
export const dynamic = 'force-dynamic';

export default function ForgotPasswordPage() {
  return (
    <>
      <h1>Reset your password</h1>
      <p className="ui-muted" style={{ marginBottom: 16 }}>
        Enter the email you sign in with and we will send you a link to choose a new password.
      </p>
      <ForgotPasswordForm enabled={mailEnabled()} disabledMessage={RESET_DISABLED_MESSAGE} />
    </>
  );
}
