/** Formatting helpers of the administrators' pages. */

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
