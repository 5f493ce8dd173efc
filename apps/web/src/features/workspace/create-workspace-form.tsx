'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { Button, Notice, TextField } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';

export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.workspace.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        router.replace('/');
        router.refresh();
      },
    }),
  );
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    create.mutate({ name: String(new FormData(e.currentTarget).get('name')) });
  }
  return (
    <form className="ui-form" onSubmit={onSubmit}>
      {create.error ? <Notice tone="error">{errorMessage(create.error)}</Notice> : null}
      <TextField label="Workspace name" name="name" required maxLength={80} autoFocus />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Create workspace
      </Button>
    </form>
  );
}
