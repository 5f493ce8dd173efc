/** Runs once when a server process starts: a bad configuration stops it at once, with the reason. */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is Next.js's own marker, not configuration: it keeps Node-only code out of the edge bundle.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
