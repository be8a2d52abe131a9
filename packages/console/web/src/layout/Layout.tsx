/**
 * The frame of every page: the DSFR header (service name, language switch, log in/out, the
 * navigation of the signed-in roles), a skip link, the main content and the footer with the
 * attributions the platform owes.
 */
import type { ReactNode } from 'react';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { LanguageSelect } from '@codegouvfr/react-dsfr/LanguageSelect';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import type { Role } from '../auth/session';
import { LANGUAGES, setLanguage } from '../i18n/index';
import type { Language } from '../i18n/index';

/** A navigation entry, shown to anyone (`roles` absent) or to the given roles. */
interface NavEntry {
  readonly key: string;
  readonly to: string;
  readonly roles?: readonly Role[];
}

/** The console's main navigation. */
export const NAVIGATION: readonly NavEntry[] = [
  { key: 'home', to: '/' },
  { key: 'directory', to: '/projets' },
  { key: 'transparency', to: '/transparence' },
  { key: 'citizen', to: '/mes-donnees' },
  { key: 'researcher', to: '/recherche', roles: ['researcher'] },
  { key: 'reviewer', to: '/comite', roles: ['reviewer'] },
  { key: 'airlock', to: '/controle', roles: ['output_checker'] },
  { key: 'analyst', to: '/veille', roles: ['analyst', 'admin'] },
  { key: 'admin', to: '/admin', roles: ['admin'] },
];

function isActive(pathname: string, to: string): boolean {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

export function Layout(): ReactNode {
  const { t, i18n } = useTranslation();
  const { me, logout, hasRole } = useSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const lang = (LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as Language)
    : 'fr';
  const navigation = NAVIGATION.filter((n) => n.roles === undefined || hasRole(...n.roles)).map(
    (n) => ({
      text: t(`nav.${n.key}`),
      linkProps: { to: n.to },
      isActive: isActive(pathname, n.to),
    }),
  );
  const account =
    me === null
      ? {
          iconId: 'fr-icon-lock-line' as const,
          text: t('login'),
          linkProps: { to: '/connexion' },
        }
      : {
          iconId: 'fr-icon-logout-box-r-line' as const,
          text: `${t('logout')} (${me.displayName ?? me.roles.map((r) => t(`roles.${r}`)).join(', ')})`,
          buttonProps: {
            onClick: () => {
              void logout().then(() => navigate('/'));
            },
          },
        };
  return (
    <>
      <SkipLinks links={[{ anchor: '#contenu', label: lang === 'fr' ? 'Contenu' : 'Content' }]} />
      <Header
        brandTop={<span dangerouslySetInnerHTML={{ __html: t('brandTop') }} />}
        serviceTitle={t('serviceTitle')}
        serviceTagline={t('serviceTagline')}
        homeLinkProps={{ to: '/', title: t('homeTitle') }}
        quickAccessItems={[
          account,
          <LanguageSelect<Language>
            key="lang"
            supportedLangs={LANGUAGES}
            fullNameByLang={{ fr: 'Français', en: 'English' }}
            lang={lang}
            setLang={(l) => void setLanguage(l)}
          />,
        ]}
        navigation={navigation}
      />
      <main id="contenu" role="main" tabIndex={-1} className="fr-container fr-py-4w">
        <Outlet />
      </main>
      <Footer
        accessibility="partially compliant"
        contentDescription={`${t('footer.description')} ${t('footer.mapCredit')}`}
        brandTop={<span dangerouslySetInnerHTML={{ __html: t('brandTop') }} />}
        homeLinkProps={{ to: '/', title: t('homeTitle') }}
      />
    </>
  );
}
