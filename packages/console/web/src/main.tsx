/** Entry point: the design system, the translations, then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { Link } from 'react-router';
import i18next from 'i18next';
import { initI18n } from './i18n/index';
import { App } from './App';

declare module '@codegouvfr/react-dsfr/spa' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

startReactDsfr({ defaultColorScheme: 'light', Link, useLang: () => i18next.language || 'fr' });

await initI18n();
const root = document.getElementById('root');
if (root === null) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
