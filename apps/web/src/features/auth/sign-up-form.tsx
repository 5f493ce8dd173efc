'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button, Notice, TextField } from '~/components/ui';
import { authClient } from '~/lib/auth-client';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';
import { authErrorMessage } from './auth-errors';

/**
 * Creates an account. Without `invitedEmail` it also creates the user's workspace; with it
 * (on an invitation page) the email is fixed and `onSignedUp` accepts the invitation instead.
 */
export function SignUpForm({ invitedEmail, onSignedUp }: { invitedEmail?: string; onSignedUp?: () => Promise<void> }) {
  const router = useRouter();
  const trpc = useTRPC();
  const createWorkspace = useMutation(trpc.workspace.create.mutationOptions());
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    try {
      const { error } = await authClient.signUp.email({
        name: String(form.get('name')),
        email: invitedEmail ?? String(form.get('email')),
        password: String(form.get('password')),
      });
      if (error) return setError(authErrorMessage(error));
      if (onSignedUp) await onSignedUp();
      else await createWorkspace.mutateAsync({ name: String(form.get('workspace')) });
      router.replace('/');
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="ui-form" onSubmit={onSubmit}>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <TextField label="Your name" name="name" autoComplete="name" required autoFocus maxLength={80} />
      {invitedEmail ? (
        <TextField label="Email" name="email" type="email" value={invitedEmail} readOnly hint="The address this invitation was sent to." />
      ) : (
        <TextField label="Email" name="email" type="email" autoComplete="email" required />
      )}
      <TextField label="Password" name="password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." />
      {invitedEmail ? null : (
        <TextField label="Workspace name" name="workspace" required maxLength={80} hint="Usually your company or team. You can invite colleagues next." />
      )}
      <Button type="submit" variant="primary" busy={busy}>
        {invitedEmail ? 'Create account and join' : 'Create account'}
      </Button>
      {invitedEmail ? null : (
        <div className="auth-links">
          <span>
            Already have an account? <Link href="/sign-in">Sign in</Link>
          </span>
        </div>
      )}
    </form>
  );
}
