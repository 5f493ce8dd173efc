'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { Button, Notice } from '~/components/ui';
import { SignUpForm } from '~/features/auth/sign-up-form';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';

export function AcceptInvitation({ token, invitedEmail, signedInAs }: { token: string; invitedEmail: string; signedInAs: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.invitation.accept.mutationOptions());

  if (!signedInAs) {
    return <SignUpForm invitedEmail={invitedEmail} onSignedUp={() => accept.mutateAsync({ token }).then(() => undefined)} />;
  }
  if (signedInAs.toLowerCase() !== invitedEmail.toLowerCase()) {
    return (
      <Notice tone="error">
        You are signed in as {signedInAs}, but this invitation is for {invitedEmail}. Sign out and sign in with that address.
      </Notice>
    );
  }
  return (
    <div className="ui-stack">
      {accept.error ? <Notice tone="error">{errorMessage(accept.error)}</Notice> : null}
      <Button
        variant="primary"
        busy={accept.isPending}
        onClick={() =>
          accept.mutate(
            { token },
            {
              onSuccess: () => {
                router.replace('/');
                router.refresh();
              },
            },
          )
        }
      >
        Accept invitation
      </Button>
    </div>
  );
}
