import { VigilError } from '@vigil/contracts';

/** A serialized profile that cannot be read (unknown version, malformed field). */
export function profileFormatError(message: string): VigilError {
  return new VigilError('VALIDATION_FAILED', `Invalid serialized profile: ${message}`);
}

/** Two profiles or sketches that cannot be merged, or an invalid option. */
export function profileConfigError(message: string, details?: Record<string, unknown>): VigilError {
  return new VigilError('BAD_REQUEST', message, details);
}
