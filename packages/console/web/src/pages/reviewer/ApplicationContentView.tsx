/** What an application asks for: data, population, period, duration, access mode, ε. */
import type { ReactNode } from 'react';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import type { ApplicationContent, Population } from './types';

function PopulationList({ population }: { population: Population }): ReactNode {
  const { t } = useTranslation('reviewer');
  const items: string[] = [];
  if (population.ageRange) items.push(t('content.age', population.ageRange));
  if (population.sex)
    items.push(
      t('content.sex', {
        sex: population.sex.map((s) => t(`sex.${s}`, { defaultValue: s })).join(', '),
      }),
    );
  if (population.departements)
    items.push(t('content.departements', { list: population.departements.join(', ') }));
  if (population.regions) items.push(t('content.regions', { list: population.regions.join(', ') }));
  for (const c of population.conditions ?? []) {
    items.push(t('content.condition', { name: c.name, count: c.conceptIds.length }));
  }
  if (items.length === 0) return <p>{t('content.wholePopulation')}</p>;
  return (
    <ul>
      {items.map((i) => (
        <li key={i}>{i}</li>
      ))}
    </ul>
  );
}

export function ApplicationContentView({
  content,
  idPrefix,
}: {
  content: ApplicationContent;
  idPrefix: string;
}): ReactNode {
  const { t } = useTranslation('reviewer');
  return (
    <>
      <dl className="hygie-facts">
        <dt className="fr-text--bold">{t('content.period')}</dt>
        <dd>{t('content.periodValue', content.period)}</dd>
        <dt className="fr-text--bold">{t('content.duration')}</dt>
        <dd>{t('content.months', { count: content.durationMonths })}</dd>
        <dt className="fr-text--bold">{t('content.accessMode')}</dt>
        <dd>{t(`accessMode.${content.accessMode}`)}</dd>
        <dt className="fr-text--bold">{t('content.epsilon')}</dt>
        <dd>{content.requestedEpsilon}</dd>
        <dt className="fr-text--bold">{t('content.justification')}</dt>
        <dd>
          {content.justification === '' ? t('content.noJustification') : content.justification}
        </dd>
        <dt className="fr-text--bold">{t('content.population')}</dt>
        <dd>
          <PopulationList population={content.population} />
        </dd>
      </dl>
      <Table
        id={`${idPrefix}-data`}
        caption={t('content.dataCaption')}
        headers={[t('content.table'), t('content.variables')]}
        data={content.data.map((d) => [<code key="t">{d.table}</code>, d.variables.join(', ')])}
      />
    </>
  );
}
