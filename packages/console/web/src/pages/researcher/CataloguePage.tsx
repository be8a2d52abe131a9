/** The data catalogue: the tables a permit may grant, and their variables. */
import type { ReactNode } from 'react';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import type { Catalogue } from './types';

/** The kinds of table, in the order a researcher looks for them. */
const KINDS = ['clinical', 'health-system', 'vocabulary'] as const;

/** `/recherche/catalogue`: every table with its description and variables. */
export function CataloguePage(): ReactNode {
  const { t } = useTranslation('researcher');
  const catalogue = useApi(() => api.get<Catalogue>('/api/v1/catalogue'), []);
  return (
    <>
      <Breadcrumb
        currentPageLabel={t('catalogue.title')}
        segments={[{ label: t('home.title'), linkProps: { to: '/recherche' } }]}
      />
      <h1>{t('catalogue.title')}</h1>
      <p className="fr-text--lead">{t('catalogue.lead')}</p>
      <ErrorAlert error={catalogue.error} />
      {catalogue.loading && <Loading />}
      {catalogue.data !== null && (
        <>
          <p>
            {t('catalogue.meta', {
              version: catalogue.data.cdmVersion,
              k: catalogue.data.minCellSize,
            })}
          </p>
          {KINDS.map((kind) => {
            const tables = catalogue.data?.tables.filter((tb) => tb.kind === kind) ?? [];
            if (tables.length === 0) return null;
            return (
              <section key={kind} className="fr-mb-4w">
                <h2>{t(`catalogue.kind.${kind.replace('-', '_')}`)}</h2>
                {tables.map((tb) => (
                  <Accordion key={tb.name} label={`${tb.name} — ${tb.description}`} titleAs="h3">
                    <p>
                      <Link to={`/recherche/catalogue/${tb.name}`}>
                        {t('catalogue.statsOf', { table: tb.name })}
                      </Link>
                      {tb.personLevel ? ` · ${t('catalogue.personLevel')}` : ''}
                    </p>
                    <Table
                      caption={t('catalogue.variablesOf', { table: tb.name })}
                      headers={[
                        t('catalogue.variable'),
                        t('catalogue.type'),
                        t('catalogue.nullable'),
                        t('catalogue.description'),
                      ]}
                      data={tb.variables.map((v) => [
                        <code key="n">{v.name}</code>,
                        v.type,
                        v.nullable ? t('common:yes') : t('common:no'),
                        v.description,
                      ])}
                    />
                  </Accordion>
                ))}
              </section>
            );
          })}
          {/* Kinds the console does not know yet still show, rather than vanish. */}
          {catalogue.data.tables.some((tb) => !(KINDS as readonly string[]).includes(tb.kind)) && (
            <section>
              <h2>{t('catalogue.kind.other')}</h2>
              <ul>
                {catalogue.data.tables
                  .filter((tb) => !(KINDS as readonly string[]).includes(tb.kind))
                  .map((tb) => (
                    <li key={tb.name}>
                      <Link to={`/recherche/catalogue/${tb.name}`}>{tb.name}</Link> —{' '}
                      {tb.description}
                    </li>
                  ))}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  );
}
