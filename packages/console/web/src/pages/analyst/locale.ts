/** Strings of the analyst pages (namespace `analyst`), French first. */
export const analyst = {
  fr: {},
  en: {},
} as const;
