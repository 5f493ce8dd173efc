'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button, Notice, TextField } from '~/components/ui';
import { authClient } from '~/lib/auth-client';
import { safeNextPath } from '~/lib/safe-next';
import { authErrorMessage } from './auth-errors';

export function SignInForm({ next }: { next?: string }) {
  const router = useRouter();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    const { error } = await authClient.signIn.email({ email: String(form.get('email')), password: String(form.get('password')) });
    setBusy(false);
    if (error) return setError(error.status === 401 ? 'Wrong email or password.' : authErrorMessage(error));
    router.replace(safeNextPath(next));
    router.refresh();
  }

  return (
    <form className="ui-form" onSubmit={onSubmit} noValidate={false}>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" variant="primary" busy={busy}>
        Sign in
      </Button>
      <div className="auth-links">
        <Link href="/forgot-password">Forgot your password?</Link>
        <span>
          New to Vigil? <Link href="/sign-up">Create an account</Link>
        </span>
      </div>
    </form>
  );
}
