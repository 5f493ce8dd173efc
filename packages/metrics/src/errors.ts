/**
 * The input given to a metric cannot produce a defined value (empty sample, mismatched
 * lengths, unknown label, ...). `code` and `status` follow @vigil/contracts' error table
 * (VALIDATION_FAILED → 400) so boundary layers can map it without inspecting messages.
 */
export class MetricsError extends Error {
  readonly code = 'VALIDATION_FAILED' as const;
  readonly status = 400;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MetricsError';
  }
}
