import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthFrame } from '~/features/auth/auth-frame';
import { CreateWorkspaceForm } from '~/features/workspace/create-workspace-form';
import { requireSession } from '~/server/session';

export const metadata: Metadata = { title: 'Create a workspace' };
export const dynamic = 'force-dynamic';

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<{ another?: string }> }) {
  const session = await requireSession('/onboarding');
  const { another } = await searchParams;
  if (!another && session.session.activeOrganizationId) redirect('/');
  return (
    <AuthFrame>
      <h1>{another ? 'Create another workspace' : 'Create your workspace'}</h1>
      <p className="ui-muted" style={{ marginBottom: 16 }}>
        A workspace holds your teams, projects and models. You will be its owner.
      </p>
      <CreateWorkspaceForm />
    </AuthFrame>
  );
}
