/** Strings of the citizen pages (namespace `citizen`), French first. */
export const citizen = {
  fr: {},
  en: {},
} as const;
