/**
 * Domain error codes, declared once. Each maps to one HTTP status; the API's exception
 * filter and the web's tRPC middleware translate `VigilError`s through this table.
 */
export const ErrorCode = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** A per-project or per-model resource cap (models, versions, columns, references) is reached. */
  LIMIT_EXCEEDED: 409,
  /** The request (its body, or a reference upload) did not arrive within its time limit. */
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  STORAGE_UNAVAILABLE: 503,
  /** More ingest load than the database absorbs right now; retry after Retry-After. */
  OVERLOADED: 503,
  /** The API did not finish the request within its handler timeout; retry after Retry-After. */
  HANDLER_TIMEOUT: 503,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ErrorCode;

export class VigilError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'VigilError';
    this.status = ErrorCode[code];
  }
}
