/** A message for an error returned by the auth client. */
export function authErrorMessage(error: { status?: number; message?: string } | null | undefined): string {
  if (!error) return '';
  if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.';
  return error.message || 'Something went wrong. Please try again.';
}
