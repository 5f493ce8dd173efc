import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge, Notice } from '~/components/ui';
import { AuthFrame } from '~/features/auth/auth-frame';
import { AcceptInvitation } from '~/features/members/accept-invitation';
import { currentSession } from '~/server/session';
import { getQueryClient, trpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Invitation' };
export const dynamic = 'force-dynamic';

const STATUS_TEXT = {
  accepted: 'This invitation has already been used.',
  revoked: 'This invitation was revoked. Ask the person who invited you for a new one.',
  expired: 'This invitation has expired. Ask the person who invited you for a new one.',
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const preview = await getQueryClient()
    .fetchQuery(trpc.invitation.preview.queryOptions({ token }))
    .catch(() => null);
  const session = await currentSession();

  if (!preview) {
    return (
      <AuthFrame>
        <h1>Invitation not found</h1>
        <Notice tone="error">This invitation link is not valid. Check that you copied all of it.</Notice>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame>
      <h1>Join {preview.workspaceName}</h1>
      <p className="ui-muted" style={{ marginBottom: 16 }}>
        You are invited as <Badge tone="accent">{preview.role.toLowerCase()}</Badge> for <strong>{preview.email}</strong>.
      </p>
      {preview.status !== 'pending' ? (
        <Notice tone="error">{STATUS_TEXT[preview.status]}</Notice>
      ) : (
        <AcceptInvitation
          token={token}
          invitedEmail={preview.email}
          signedInAs={session ? session.user.email : null}
        />
      )}
      {!session && preview.status === 'pending' ? (
        <div className="auth-links">
          <span>
            Already have an account? <Link href={`/sign-in?next=${encodeURIComponent(`/invite/${encodeURIComponent(token)}`)}`}>Sign in to accept</Link>
          </span>
        </div>
      ) : null}
    </AuthFrame>
  );
}
