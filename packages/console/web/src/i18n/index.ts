/**
 * The console's translations: French first, English on request (the choice is remembered in
 * localStorage — it is not personal data). One namespace per area of the console, each in the
 * area's own `locale.ts`, so that the pages of an area and their words live together.
 */
import i18next from 'i18next';
import type { ResourceLanguage } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './common';
import { publicNs } from '../pages/public/locale';
import { citizen } from '../pages/citizen/locale';
import { researcher } from '../pages/researcher/locale';
import { reviewer } from '../pages/reviewer/locale';
import { analyst } from '../pages/analyst/locale';
import { admin } from '../pages/admin/locale';

/** The languages of the console. */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const LANGUAGE_KEY = 'hygie.language';

const NAMESPACES = { common, public: publicNs, citizen, researcher, reviewer, analyst, admin };

function resources(lang: Language): ResourceLanguage {
  return Object.fromEntries(
    Object.entries(NAMESPACES).map(([ns, r]) => [ns, r[lang] as ResourceLanguage[string]]),
  );
}

/** The language chosen before, else French. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  return saved === 'en' ? 'en' : 'fr';
}

/** Switches the language (and the page's `lang` attribute, for screen readers). */
export async function setLanguage(lang: Language): Promise<void> {
  localStorage.setItem(LANGUAGE_KEY, lang);
  document.documentElement.lang = lang;
  await i18next.changeLanguage(lang);
}

/** Initialises i18next; call once before rendering. */
export async function initI18n(): Promise<void> {
  const lng = initialLanguage();
  document.documentElement.lang = lng;
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'fr',
    ns: Object.keys(NAMESPACES),
    defaultNS: 'common',
    resources: { fr: resources('fr'), en: resources('en') },
    interpolation: { escapeValue: false },
  });
}
