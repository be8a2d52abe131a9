/**
 * Database errors as `HygieError`s with stable codes. Driver messages are not passed on: a
 * PostgreSQL constraint message quotes the offending values (`Key (login)=(…)`), so the caller
 * gets a generic message and the driver error stays as `cause` for the operator's debugging.
 */
import { HygieError, isHygieError } from '@hygie/core';

function codeOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = (e as { code: unknown }).code;
    if (typeof c === 'string') return c;
  }
  return '';
}

/** True for a unique or primary-key violation (SQLite or PostgreSQL). */
export function isUniqueViolation(e: unknown): boolean {
  const c = codeOf(e);
  return c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY' || c === '23505';
}

/** Any error as a `HygieError`. */
export function storeError(e: unknown): HygieError {
  if (isHygieError(e)) return e;
  const c = codeOf(e);
  if (isUniqueViolation(e)) {
    return new HygieError(
      'HYG_CONFLICT',
      'a record with the same key already exists',
      { reason: 'duplicate' },
      { cause: e },
    );
  }
  if (c === 'SQLITE_CONSTRAINT_FOREIGNKEY' || c === '23503') {
    return new HygieError(
      'HYG_INVALID_ARGUMENT',
      'a referenced record does not exist',
      { reason: 'missing-reference' },
      { cause: e },
    );
  }
  if (c === 'SQLITE_CONSTRAINT_CHECK' || c === '23514') {
    return new HygieError(
      'HYG_INVALID_ARGUMENT',
      'a value is outside its allowed set',
      { reason: 'check-violation' },
      { cause: e },
    );
  }
  if (c === 'SQLITE_BUSY' || c === '40001' || c === '40P01') {
    return new HygieError(
      'HYG_CONFLICT',
      'the governance store is busy; retry',
      { reason: 'busy' },
      { cause: e },
    );
  }
  return new HygieError(
    'HYG_INTERNAL',
    'the governance store failed',
    { reason: 'store-error' },
    { cause: e },
  );
}
