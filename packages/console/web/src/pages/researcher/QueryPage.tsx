/**
 * The cohort builder and query runner under a permit: a concept set picked with the concept
 * search, an optional cohort entered on those events, measures and a stratification, built into
 * the query format of docs/queries.md (`querySchema`, packages/core/src/query), run through
 * `POST /api/v1/projects/:projectId/queries`, its controlled result shown, its release requested.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { ConceptPicker } from './ConceptPicker';
import type { PickedCode } from './ConceptPicker';
import { QueryResults } from './QueryResults';
import { ReleaseList, RequestRelease, useReleaseRequests } from './Releases';
import { StatusBadge, useDay } from './shared';
import type { Permit, QueryRunAnswer } from './types';

const DOMAINS = ['condition', 'drug', 'procedure', 'measurement'] as const;
type Domain = (typeof DOMAINS)[number];
const MEASURES = ['person_count', 'event_count', 'prevalence', 'incidence_rate'] as const;
type MeasureKind = (typeof MEASURES)[number];
const PLACE_AND_PEOPLE = ['sex', 'age_band', 'departement', 'region'] as const;
const CALENDAR = ['', 'year', 'quarter', 'month', 'week'] as const;
const STANDARDS = ['', 'france_2020', 'europe_2013'] as const;
const PER = [1000, 10000, 100000] as const;

/** The builder's state, as the researcher sets it. */
interface Builder {
  from: string;
  to: string;
  codes: PickedCode[];
  domain: Domain;
  cohort: boolean;
  occurrence: 'first' | 'all';
  priorObservationDays: string;
  ageMin: string;
  ageMax: string;
  sex: ('female' | 'male')[];
  measures: MeasureKind[];
  washoutDays: string;
  standardise: (typeof STANDARDS)[number];
  per: (typeof PER)[number];
  stratify: string[];
  calendar: (typeof CALENDAR)[number];
}

/** Measures that count events of the concept set (they need one). */
const NEEDS_EVENTS: readonly MeasureKind[] = ['event_count', 'prevalence', 'incidence_rate'];

const int = (s: string): number | undefined => (/^\d+$/.test(s.trim()) ? Number(s) : undefined);

/** The builder as a query (docs/queries.md), or the keys of what is missing. */
function buildQuery(b: Builder): { query: Record<string, unknown> | null; problems: string[] } {
  const problems: string[] = [];
  const include = b.codes.filter((c) => !c.exclude);
  const exclude = b.codes.filter((c) => c.exclude);
  const hasSet = include.length > 0;
  if (b.measures.length === 0) problems.push('noMeasure');
  if (!hasSet && (b.cohort || b.measures.some((m) => NEEDS_EVENTS.includes(m)))) {
    problems.push('noCode');
  }
  if (b.from > b.to) problems.push('periodOrder');
  const prior = int(b.priorObservationDays);
  if (b.cohort && prior === undefined) problems.push('priorObservation');
  const ageMin = b.ageMin.trim() === '' ? undefined : int(b.ageMin);
  const ageMax = b.ageMax.trim() === '' ? undefined : int(b.ageMax);
  if (
    (b.ageMin.trim() !== '' && ageMin === undefined) ||
    (b.ageMax.trim() !== '' && ageMax === undefined)
  ) {
    problems.push('age');
  }
  const washout = b.washoutDays.trim() === '' ? undefined : int(b.washoutDays);
  if (b.washoutDays.trim() !== '' && washout === undefined) problems.push('washout');
  const stratify = [...b.stratify, ...(b.calendar === '' ? [] : [b.calendar])];
  if (stratify.length > 4) problems.push('tooManyDimensions');
  if (problems.length > 0) return { query: null, problems };

  const item = (c: PickedCode): Record<string, unknown> => ({
    vocabulary: c.vocabulary,
    code: c.code,
    descendants: c.descendants,
  });
  const events = { domain: b.domain, conceptSet: 'codes' };
  const rate = {
    per: b.per,
    ...(b.standardise === '' ? {} : { standardise: b.standardise }),
  };
  const measures = b.measures.map((kind) => {
    switch (kind) {
      case 'person_count':
        return { kind, name: 'persons' };
      case 'event_count':
        return { kind, name: 'events', events };
      case 'prevalence':
        return { kind, name: 'prevalence', events, ...rate };
      case 'incidence_rate':
        return {
          kind,
          name: 'incidence',
          events,
          ...rate,
          ...(washout === undefined ? {} : { washoutDays: washout }),
        };
    }
  });
  const demographics = {
    ...(ageMin !== undefined || ageMax !== undefined
      ? {
          ageAtIndex: {
            ...(ageMin !== undefined ? { min: ageMin } : {}),
            ...(ageMax !== undefined ? { max: ageMax } : {}),
          },
        }
      : {}),
    ...(b.sex.length > 0 ? { sex: b.sex } : {}),
  };
  return {
    problems,
    query: {
      version: 1,
      period: { from: b.from, to: b.to },
      conceptSets: hasSet
        ? [{ name: 'codes', include: include.map(item), exclude: exclude.map(item) }]
        : [],
      ...(b.cohort
        ? {
            cohort: {
              entry: { events: [events], occurrence: b.occurrence },
              demographics,
              priorObservationDays: prior ?? 0,
            },
          }
        : {}),
      measures,
      stratify,
    },
  };
}

/** `/recherche/permis/:permitId/requete`. */
export function QueryPage(): ReactNode {
  const { t } = useTranslation('researcher');
  const { permitId = '' } = useParams();
  const day = useDay();
  const permit = useApi(() => api.get<Permit>(`/api/v1/permits/${permitId}`), [permitId]);
  const [b, setB] = useState<Builder>({
    from: '',
    to: '',
    codes: [],
    domain: 'condition',
    cohort: true,
    occurrence: 'first',
    priorObservationDays: '0',
    ageMin: '',
    ageMax: '',
    sex: [],
    measures: ['person_count'],
    washoutDays: '',
    standardise: '',
    per: 100000,
    stratify: ['sex'],
    calendar: '',
  });
  const [problems, setProblems] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [answer, setAnswer] = useState<QueryRunAnswer | null>(null);
  const projectId = permit.data?.projectId ?? '';
  const releases = useReleaseRequests(projectId);

  // The analysis period starts as the permit's whole period.
  useEffect(() => {
    const p = permit.data;
    if (p !== null) setB((x) => ({ ...x, from: p.scope.period.from, to: p.scope.period.to }));
  }, [permit.data]);

  const set = <K extends keyof Builder>(k: K, v: Builder[K]): void =>
    setB((x) => ({ ...x, [k]: v }));
  const toggle = <T extends string>(list: T[], v: T, on: boolean): T[] =>
    on ? [...list, v] : list.filter((x) => x !== v);

  const run = (): void => {
    const { query, problems: found } = buildQuery(b);
    setProblems(found);
    if (query === null) return;
    setRunning(true);
    setError(null);
    setAnswer(null);
    api
      .post<QueryRunAnswer>(`/api/v1/projects/${projectId}/queries`, { permitId, query })
      .then(setAnswer)
      .catch((e: unknown) => setError(e))
      .finally(() => setRunning(false));
  };

  const p = permit.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel={t('query.title')}
        segments={[
          { label: t('home.title'), linkProps: { to: '/recherche' } },
          ...(p !== null
            ? [{ label: t('project.page'), linkProps: { to: `/recherche/projets/${p.projectId}` } }]
            : []),
        ]}
      />
      <h1>{t('query.title')}</h1>
      <ErrorAlert error={permit.error} />
      {permit.loading && <Loading />}
      {p !== null && (
        <>
          <p>
            {t('query.permitLine', {
              id: p.id.slice(0, 8),
              from: day(p.scope.period.from),
              to: day(p.scope.period.to),
              k: p.minCellSize,
            })}{' '}
            <StatusBadge status={p.status} />
          </p>

          <h2>{t('query.codesTitle')}</h2>
          <p className="fr-hint-text">{t('query.codesHint')}</p>
          <ConceptPicker value={b.codes} onChange={(c) => set('codes', c)} />
          <Select
            label={t('query.domain')}
            hint={t('query.domainHint')}
            nativeSelectProps={{
              value: b.domain,
              onChange: (e) => set('domain', e.target.value as Domain),
            }}
          >
            {DOMAINS.map((d) => (
              <option key={d} value={d}>
                {t(`domain.${d}`)}
              </option>
            ))}
          </Select>

          <h2>{t('query.cohortTitle')}</h2>
          <Checkbox
            options={[
              {
                label: t('query.useCohort'),
                hintText: t('query.useCohortHint'),
                nativeInputProps: {
                  checked: b.cohort,
                  onChange: (e) => set('cohort', e.target.checked),
                },
              },
            ]}
          />
          {b.cohort && (
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-2w">
              <div className="fr-col-12 fr-col-md-4">
                <Select
                  label={t('query.occurrence')}
                  nativeSelectProps={{
                    value: b.occurrence,
                    onChange: (e) => set('occurrence', e.target.value as 'first' | 'all'),
                  }}
                >
                  <option value="first">{t('query.occurrenceFirst')}</option>
                  <option value="all">{t('query.occurrenceAll')}</option>
                </Select>
              </div>
              <div className="fr-col-12 fr-col-md-4">
                <Input
                  label={t('query.priorObservation')}
                  nativeInputProps={{
                    inputMode: 'numeric',
                    value: b.priorObservationDays,
                    onChange: (e) => set('priorObservationDays', e.target.value),
                  }}
                />
              </div>
              <div className="fr-col-6 fr-col-md-2">
                <Input
                  label={t('query.ageMin')}
                  nativeInputProps={{
                    inputMode: 'numeric',
                    value: b.ageMin,
                    onChange: (e) => set('ageMin', e.target.value),
                  }}
                />
              </div>
              <div className="fr-col-6 fr-col-md-2">
                <Input
                  label={t('query.ageMax')}
                  nativeInputProps={{
                    inputMode: 'numeric',
                    value: b.ageMax,
                    onChange: (e) => set('ageMax', e.target.value),
                  }}
                />
              </div>
              <div className="fr-col-12">
                <Checkbox
                  orientation="horizontal"
                  legend={t('query.sexAtIndex')}
                  options={(['female', 'male'] as const).map((s) => ({
                    label: t(`sex.${s}`),
                    nativeInputProps: {
                      checked: b.sex.includes(s),
                      onChange: (e) => set('sex', toggle(b.sex, s, e.target.checked)),
                    },
                  }))}
                />
              </div>
            </div>
          )}

          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-3">
              <Input
                label={t('query.from')}
                nativeInputProps={{
                  type: 'date',
                  value: b.from,
                  min: p.scope.period.from,
                  max: p.scope.period.to,
                  onChange: (e) => set('from', e.target.value),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-3">
              <Input
                label={t('query.to')}
                nativeInputProps={{
                  type: 'date',
                  value: b.to,
                  min: p.scope.period.from,
                  max: p.scope.period.to,
                  onChange: (e) => set('to', e.target.value),
                }}
              />
            </div>
          </div>

          <h2>{t('query.measuresTitle')}</h2>
          <Checkbox
            legend={t('query.measures')}
            options={MEASURES.map((m) => ({
              label: t(`measureKind.${m}`),
              hintText: t(`measureHint.${m}`),
              nativeInputProps: {
                checked: b.measures.includes(m),
                onChange: (e) => set('measures', toggle(b.measures, m, e.target.checked)),
              },
            }))}
          />
          {b.measures.some((m) => m === 'prevalence' || m === 'incidence_rate') && (
            <div className="fr-grid-row fr-grid-row--gutters fr-mb-2w">
              <div className="fr-col-12 fr-col-md-4">
                <Select
                  label={t('query.per')}
                  nativeSelectProps={{
                    value: String(b.per),
                    onChange: (e) => set('per', Number(e.target.value) as Builder['per']),
                  }}
                >
                  {PER.map((n) => (
                    <option key={n} value={n}>
                      {t('query.perValue', { n: n.toLocaleString() })}
                    </option>
                  ))}
                </Select>
              </div>
              <div className="fr-col-12 fr-col-md-4">
                <Select
                  label={t('query.standardise')}
                  nativeSelectProps={{
                    value: b.standardise,
                    onChange: (e) => set('standardise', e.target.value as Builder['standardise']),
                  }}
                >
                  {STANDARDS.map((s) => (
                    <option key={s} value={s}>
                      {t(`standard.${s === '' ? 'none' : s}`)}
                    </option>
                  ))}
                </Select>
              </div>
              {b.measures.includes('incidence_rate') && (
                <div className="fr-col-12 fr-col-md-4">
                  <Input
                    label={t('query.washout')}
                    hintText={t('query.washoutHint')}
                    nativeInputProps={{
                      inputMode: 'numeric',
                      value: b.washoutDays,
                      onChange: (e) => set('washoutDays', e.target.value),
                    }}
                  />
                </div>
              )}
            </div>
          )}

          <h2>{t('query.stratifyTitle')}</h2>
          <Checkbox
            orientation="horizontal"
            legend={t('query.stratify')}
            hintText={t('query.stratifyHint')}
            options={PLACE_AND_PEOPLE.map((d) => ({
              label: t(`dimension.${d}`),
              nativeInputProps: {
                checked: b.stratify.includes(d),
                onChange: (e) => set('stratify', toggle(b.stratify, d, e.target.checked)),
              },
            }))}
          />
          <Select
            label={t('query.calendar')}
            nativeSelectProps={{
              value: b.calendar,
              onChange: (e) => set('calendar', e.target.value as Builder['calendar']),
            }}
          >
            {CALENDAR.map((c) => (
              <option key={c} value={c}>
                {t(`dimension.${c === '' ? 'none' : c}`)}
              </option>
            ))}
          </Select>

          <div role="status" aria-live="polite">
            {problems.length > 0 && (
              <Alert
                className="fr-mb-2w"
                severity="error"
                small
                description={problems.map((k) => t(`query.problems.${k}`)).join(' ')}
              />
            )}
          </div>
          <Button
            type="button"
            disabled={running || p.status !== 'active'}
            onClick={run}
            iconId="fr-icon-play-line"
          >
            {t('query.run')}
          </Button>
          {running && <Loading label={t('query.running')} />}
          <ErrorAlert error={error} className="fr-mt-3w" />

          {answer !== null && (
            <section className="fr-mt-4w" aria-labelledby="results-title">
              <h2 id="results-title">{t('results.title')}</h2>
              <p role="status">
                {t('results.runLine', {
                  id: answer.runId.slice(0, 8),
                  epsilon: answer.epsilon,
                })}
              </p>
              <QueryResults answer={answer} />
              <RequestRelease
                key={answer.runId}
                runId={answer.runId}
                onRequested={(r) => releases.add(r)}
              />
            </section>
          )}
          <ErrorAlert error={releases.error} />
          <ReleaseList list={releases.list} onUpdated={(r) => releases.add(r)} />
        </>
      )}
    </>
  );
}
