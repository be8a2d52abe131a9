/** Strings of the researcher pages (namespace `researcher`), French first. */
export const researcher = {
  fr: {},
  en: {},
} as const;
