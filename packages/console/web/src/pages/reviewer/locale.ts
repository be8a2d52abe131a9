/** Strings of the reviewer pages (namespace `reviewer`), French first. */
export const reviewer = {
  fr: {},
  en: {},
} as const;
