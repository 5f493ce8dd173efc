'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { Suspense, useId, type ReactNode } from 'react';
import { SignOutButton } from '~/features/auth/sign-out-button';
import { BrandMark } from '~/features/auth/auth-frame';
import { useTRPC } from '~/trpc/react';
import { useWorkspace } from './use-workspace';

const NEW_WORKSPACE = '__new__';

function WorkspaceSwitcher() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  const { data } = useSuspenseQuery(trpc.workspace.list.queryOptions());
  const switchTo = useMutation(
    trpc.workspace.switch.mutationOptions({
      onSuccess: async () => {
        // Everything cached belongs to the previous workspace.
        queryClient.clear();
        router.replace('/');
        router.refresh();
      },
    }),
  );
  return (
    <div className="switcher">
      <label htmlFor={id}>Workspace</label>
      <select
        id={id}
        className="ui-input ui-select"
        value={data.activeOrganizationId ?? ''}
        disabled={switchTo.isPending}
        onChange={(e) => {
          if (e.target.value === NEW_WORKSPACE) return router.push('/onboarding?another=1');
          switchTo.mutate({ organizationId: e.target.value });
        }}
      >
        {data.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        <option value={NEW_WORKSPACE}>+ New workspace…</option>
      </select>
    </div>
  );
}

function Nav() {
  const pathname = usePathname();
  const ws = useWorkspace();
  const items = [
    { href: '/', label: 'Overview' },
    { href: '/datasets', label: 'Datasets' },
    { href: '/alerts', label: 'Alerts' },
    { href: '/rules', label: 'Rules' },
    { href: '/channels', label: 'Channels' },
    { href: '/silences', label: 'Silences' },
    { href: '/projects', label: 'Projects & API keys' },
    { href: '/teams', label: 'Teams' },
    { href: '/members', label: 'Members' },
    ...(ws.isAdmin ? [{ href: '/audit', label: 'Audit log' }, { href: '/settings/bi-access', label: 'BI access' }] : []),
  ];
  // A model's pages belong to the overview they are opened from.
  const current = (href: string) => (href === '/' ? pathname === '/' || pathname.startsWith('/models/') : pathname.startsWith(href));
  return (
    <nav className="shell__nav" aria-label="Main">
      {items.map((i) => (
        <Link key={i.href} href={i.href} aria-current={current(i.href) ? 'page' : undefined}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

function UserBox() {
  const ws = useWorkspace();
  return (
    <div className="shell__side-footer">
      <span className="shell__user" title={ws.user.email}>
        {ws.user.name}
      </span>
      <span className="role-pill">Role: {ws.role.toLowerCase()}</span>
      <SignOutButton />
    </div>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <aside className="shell__side">
        <div className="shell__brand">
          <BrandMark /> Vigil
        </div>
        <Suspense>
          <WorkspaceSwitcher />
          <Nav />
          <UserBox />
        </Suspense>
      </aside>
      <main className="shell__main" id="main">
        <Suspense fallback={<p className="ui-muted">Loading…</p>}>{children}</Suspense>
      </main>
    </div>
  );
}
