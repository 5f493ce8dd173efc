/** A readable message from a tRPC or auth client error, for forms and notices. */
export function errorMessage(error: unknown): string {
  if (!error) return '';
  const e = error as { message?: string; data?: { fieldErrors?: { path: string; message: string }[] | null } };
  const fields = e.data?.fieldErrors;
  if (fields?.length) return fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
  return e.message || 'Something went wrong. Please try again.';
}
