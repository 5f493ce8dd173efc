import { checkServerConfig } from './env';

// Loaded only in the Node.js runtime (see instrumentation.ts).
try {
  checkServerConfig();
} catch (error) {
  // Next.js would log this and keep answering every request with an error; refuse to start instead.
  console.error(`Vigil web cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
