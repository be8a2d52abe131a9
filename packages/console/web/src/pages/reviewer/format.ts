/** Small formatting helpers shared by the committee and airlock pages. */
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';

/** A date and time in the reader's language (the API sends UTC instants). */
export function formatInstant(iso: string | null, lang: string): string {
  if (iso === null) return '—';
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** A number in the reader's language. */
export function formatNumber(n: number, lang: string): string {
  return n.toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR');
}

/**
 * The stable reason of a refusal, in words, when this area knows it (`reasons.<reason>`): the
 * shared alert explains the error code; this says which rule refused.
 */
export function reasonOf(t: TFunction, error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const reason = error.details['reason'];
  if (typeof reason !== 'string') return null;
  const key = `reasons.${reason}`;
  const text = t(key, { defaultValue: '' });
  return text === '' ? null : text;
}
