/** Dates in the reader's language (the console's, not the browser's). */
import i18next from 'i18next';

function locale(): string {
  return i18next.language === 'en' ? 'en-GB' : 'fr-FR';
}

/** A day (`2026-03-02` or an instant) as `2 mars 2026`. */
export function formatDay(value: string): string {
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleDateString(locale(), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** An instant as `2 mars 2026, 09:00:00` in the reader's time zone. */
export function formatInstant(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A number with the reader's grouping (`5 317`). */
export function formatNumber(n: number): string {
  return n.toLocaleString(locale());
}

/** An instant as `29/11/2026 09:00:00`, for dense tables. */
export function formatInstantShort(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'medium' });
}
