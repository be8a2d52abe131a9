/** The home page: what the platform promises, and where each kind of user goes. */
import type { ReactNode } from 'react';
import { Tile } from '@codegouvfr/react-dsfr/Tile';
import { useTranslation } from 'react-i18next';

export function HomePage(): ReactNode {
  const { t } = useTranslation('public');
  const tiles = [
    { key: 'citizenCard', to: '/mes-donnees' },
    { key: 'directoryCard', to: '/projets' },
    { key: 'transparencyCard', to: '/transparence' },
    { key: 'researcherCard', to: '/recherche' },
    { key: 'analystCard', to: '/veille' },
  ] as const;
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="fr-text--lead">{t('home.lead')}</p>
      <h2>{t('home.promises')}</h2>
      <ul>
        {(
          [
            'promiseKeys',
            'promisePermit',
            'promiseLog',
            'promiseOptOut',
            'promiseAggregates',
          ] as const
        ).map((k) => (
          <li key={k}>{t(`home.${k}`)}</li>
        ))}
      </ul>
      <h2>{t('home.forYou')}</h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        {tiles.map((tile) => (
          <div key={tile.key} className="fr-col-12 fr-col-md-4">
            <Tile title={t(`home.${tile.key}`)} linkProps={{ to: tile.to }} />
          </div>
        ))}
      </div>
    </>
  );
}
