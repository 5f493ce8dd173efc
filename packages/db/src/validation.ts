import { VigilError } from '@vigil/contracts';

/** A VALIDATION_FAILED error naming each field at fault, as both transports show it (400 / BAD_REQUEST with fieldErrors). */
export function validationError(errors: { path: string; message: string }[]): VigilError {
  return new VigilError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}
