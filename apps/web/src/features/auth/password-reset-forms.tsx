'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { Button, Notice, TextField } from '~/components/ui';
import { authClient } from '~/lib/auth-client';
import { authErrorMessage } from './auth-errors';

export function ForgotPasswordForm({ enabled, disabledMessage }: { enabled: boolean; disabledMessage: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string; sent: boolean }>({ busy: false, error: '', sent: false });

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('email'));
    setState({ busy: true, error: '', sent: false });
    const { error } = await authClient.requestPasswordReset({ email, redirectTo: `${window.location.origin}/reset-password` });
    setState({ busy: false, error: authErrorMessage(error), sent: !error });
  }

  if (!enabled) {
    return (
      <div className="ui-stack">
        <Notice tone="error">{disabledMessage}</Notice>
        <Link href="/sign-in">Back to sign in</Link>
      </div>
    );
  }
  if (state.sent) {
    return (
      <div className="ui-stack">
        <Notice tone="success">
          If an account exists for that address, a reset link is on its way. It is valid for one hour.
        </Notice>
        <Link href="/sign-in">Back to sign in</Link>
      </div>
    );
  }
  return (
    <form className="ui-form" onSubmit={onSubmit}>
      {state.error ? <Notice tone="error">{state.error}</Notice> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus />
      <Button type="submit" variant="primary" busy={state.busy}>
        Send reset link
      </Button>
      <div className="auth-links">
        <Link href="/sign-in">Back to sign in</Link>
      </div>
    </form>
  );
}

export function ResetPasswordForm({ token, invalid }: { token: string | null; invalid: boolean }) {
  const [state, setState] = useState<{ busy: boolean; error: string; done: boolean }>({ busy: false, error: '', done: false });

  if (!token || invalid) {
    return (
      <div className="ui-stack">
        <Notice tone="error">This reset link is invalid or has expired.</Notice>
        <Link href="/forgot-password">Request a new link</Link>
      </div>
    );
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const newPassword = String(form.get('password'));
    if (newPassword !== String(form.get('confirm'))) return setState({ busy: false, error: 'The passwords do not match.', done: false });
    setState({ busy: true, error: '', done: false });
    const { error } = await authClient.resetPassword({ newPassword, token: token! });
    setState({ busy: false, error: error ? authErrorMessage(error) : '', done: !error });
  }

  if (state.done) {
    return (
      <div className="ui-stack">
        <Notice tone="success">Your password was changed. Other sessions were signed out.</Notice>
        <Link href="/sign-in">Sign in with your new password</Link>
      </div>
    );
  }
  return (
    <form className="ui-form" onSubmit={onSubmit}>
      {state.error ? <Notice tone="error">{state.error}</Notice> : null}
      <TextField label="New password" name="password" type="password" autoComplete="new-password" required minLength={8} autoFocus />
      <TextField label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required minLength={8} />
      <Button type="submit" variant="primary" busy={state.busy}>
        Set new password
      </Button>
    </form>
  );
}
