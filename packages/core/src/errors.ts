/**
 * The one error type of Hygie. Every failure that crosses a boundary (CLI, HTTP, file) carries a
 * stable code, an HTTP status and details that are safe to show: never an identifier, never a
 * secret (DESIGN.md §4.1, §4.5).
 */

/** Stable error codes. Never renumber or reuse a code: clients and scripts match on them. */
export const ErrorCodes = {
  HYG_INVALID_ARGUMENT: 400,
  HYG_INVALID_CONFIG: 400,
  HYG_INVALID_NIR: 400,
  HYG_SCHEMA_VIOLATION: 422,
  HYG_NOT_FOUND: 404,
  HYG_CONFLICT: 409,
  HYG_MIGRATION_FAILED: 500,
  HYG_WAREHOUSE_ERROR: 500,
  HYG_IO_ERROR: 500,
  HYG_INTERNAL: 500,
  /** The warehouse file is held by another process (normally the server, which owns it). */
  HYG_WAREHOUSE_LOCKED: 409,
  /**
   * Key material is unusable or misplaced: a malformed or insecure key file (group/world
   * permissions), a key file inside the data directory, shares that do not reconstruct the key.
   */
  HYG_KEY_ERROR: 400,
  /** A key, share or source key file does not exist. */
  HYG_KEY_NOT_FOUND: 404,
  /** No valid credentials. */
  HYG_UNAUTHENTICATED: 401,
  /** Authenticated, but the role or permit does not allow it. */
  HYG_FORBIDDEN: 403,
  /** Too many failed logins: the account is locked for a while. */
  HYG_ACCOUNT_LOCKED: 423,
  /** The permit's validity has ended. */
  HYG_PERMIT_EXPIRED: 403,
  /** The permit is suspended by the access committee. */
  HYG_PERMIT_SUSPENDED: 403,
  /** The permit is revoked. */
  HYG_PERMIT_REVOKED: 403,
  /** A service this request needs is not configured or not ready (e.g. no key ring loaded). */
  HYG_UNAVAILABLE: 503,
  /** A workflow step that the current state or the caller does not allow. */
  HYG_INVALID_TRANSITION: 409,
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ErrorCodes;

/** Details attached to an error; values must be safe to log and to show to the caller. */
export type SafeDetails = Readonly<
  Record<string, string | number | boolean | null | readonly string[]>
>;

/** An error with a stable code, an HTTP status and safe details. */
export class HygieError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: SafeDetails;

  constructor(code: ErrorCode, message: string, details: SafeDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HygieError';
    this.code = code;
    this.status = ErrorCodes[code];
    this.details = details;
  }

  /** A JSON form for API and CLI output. */
  toJSON(): { code: ErrorCode; message: string; details: SafeDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `e` is a HygieError, optionally of the given code. */
export function isHygieError(e: unknown, code?: ErrorCode): e is HygieError {
  return e instanceof HygieError && (code === undefined || e.code === code);
}
