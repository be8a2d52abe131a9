/**
 * Errors in words a user understands: the API's stable codes mapped to sentences of the
 * `common` namespace (`errors.<code>`), with the server's own message kept as a detail.
 */
import type { TFunction } from 'i18next';
import { ApiError } from './client';

/** The codes the console explains; any other falls back to `errors.unknown`. */
export const EXPLAINED_CODES = [
  'NETWORK',
  'HYG_UNAUTHENTICATED',
  'HYG_ACCOUNT_LOCKED',
  'HYG_FORBIDDEN',
  'HYG_NOT_FOUND',
  'HYG_CONFLICT',
  'HYG_INVALID_ARGUMENT',
  'HYG_INVALID_NIR',
  'HYG_INVALID_TRANSITION',
  'HYG_SCHEMA_VIOLATION',
  'HYG_PERMIT_EXPIRED',
  'HYG_PERMIT_REVOKED',
  'HYG_PERMIT_SUSPENDED',
  'HYG_UNAVAILABLE',
  'HYG_WAREHOUSE_LOCKED',
  'HYG_WAREHOUSE_ERROR',
  'HYG_INTERNAL',
] as const;

/** What to show for an error: a sentence, and the server's message when it adds something. */
export function describeError(
  t: TFunction,
  error: unknown,
): { title: string; detail: string | null } {
  if (error instanceof ApiError) {
    const known = (EXPLAINED_CODES as readonly string[]).includes(error.code);
    const title = known
      ? t(`common:errors.${error.code}`)
      : t('common:errors.unknown', { code: error.code });
    return { title, detail: error.message && error.message !== title ? error.message : null };
  }
  return {
    title: t('common:errors.unknown', { code: 'CLIENT' }),
    detail: error instanceof Error ? error.message : String(error),
  };
}
