/** The record of an application: earlier reviews, workflow events and frozen versions. */
import type { ReactNode } from 'react';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { ApplicationContentView } from './ApplicationContentView';
import { formatInstant } from './format';
import type { ApplicationEvent, ApplicationVersion, Review } from './types';

/** Names a person: the reader, a member of the project's team, or an account reference. */
export type NameOf = (userId: string | null) => string;

export function ReviewsTable({
  reviews,
  nameOf,
}: {
  reviews: readonly Review[];
  nameOf: NameOf;
}): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  if (reviews.length === 0) return <p>{t('history.noReview')}</p>;
  return (
    <Table
      caption={t('history.reviewsCaption')}
      headers={[
        t('history.colVersion'),
        t('history.colReviewer'),
        t('history.colDecision'),
        t('history.colComment'),
        t('history.colWhen'),
      ]}
      data={reviews.map((r) => [
        r.version,
        nameOf(r.reviewerId),
        t(`decision.${r.decision}`),
        r.comment ?? '—',
        formatInstant(r.createdAt, i18n.language),
      ])}
    />
  );
}

export function EventsTable({
  events,
  nameOf,
}: {
  events: readonly ApplicationEvent[];
  nameOf: NameOf;
}): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  return (
    <Table
      caption={t('history.eventsCaption')}
      headers={[
        t('history.colWhen'),
        t('history.colWho'),
        t('history.colEvent'),
        t('history.colChange'),
        t('history.colReason'),
      ]}
      data={events.map((e) => [
        formatInstant(e.at, i18n.language),
        nameOf(e.actorId),
        t(`events.${e.event.replace(':', '_')}`, { defaultValue: e.event }),
        e.fromStatus === null
          ? t(`status.${e.toStatus}`)
          : `${t(`status.${e.fromStatus}`)} → ${t(`status.${e.toStatus}`)}`,
        e.reason ?? '—',
      ])}
    />
  );
}

export function VersionsList({
  versions,
  nameOf,
}: {
  versions: readonly ApplicationVersion[];
  nameOf: NameOf;
}): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  if (versions.length === 0) return <p>{t('history.noVersion')}</p>;
  return (
    <div className="fr-accordions-group">
      {versions.map((v) => (
        <Accordion
          key={v.version}
          label={t('history.versionLabel', {
            version: v.version,
            when: formatInstant(v.submittedAt, i18n.language),
            who: nameOf(v.submittedBy),
          })}
        >
          <ApplicationContentView content={v.content} idPrefix={`v${v.version}`} />
        </Accordion>
      ))}
    </div>
  );
}
