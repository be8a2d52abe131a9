/** Strings of the admin pages (namespace `admin`), French first. */
export const admin = {
  fr: {},
  en: {},
} as const;
