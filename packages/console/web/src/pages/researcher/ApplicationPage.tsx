/**
 * The application form: the content of an access application as `applicationContentSchema`
 * (packages/core/src/governance/application-content.ts) expects it — data, population, period,
 * duration, access mode, justification, ε — checked here first so that errors come in words,
 * next to their field, before the server checks it again.
 */
import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { DataPicker } from './DataPicker';
import type { AccessMode, Application, ApplicationContent, Catalogue, DataItem } from './types';

/** The form's state: text as typed, turned into the content on saving. */
interface FormState {
  data: DataItem[];
  ageMin: string;
  ageMax: string;
  sex: ('female' | 'male')[];
  departements: string;
  regions: string;
  from: string;
  to: string;
  durationMonths: string;
  accessMode: AccessMode;
  justification: string;
  epsilon: string;
}

const EMPTY: FormState = {
  data: [],
  ageMin: '',
  ageMax: '',
  sex: [],
  departements: '',
  regions: '',
  from: '2019-01-01',
  to: '2024-12-31',
  durationMonths: '24',
  accessMode: 'aggregate_only',
  justification: '',
  epsilon: '1',
};

const DEPARTEMENT_RE = /^(?:0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$/;
const REGION_RE = /^[0-9]{2}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function fromContent(c: ApplicationContent): FormState {
  return {
    data: c.data.map((d) => ({ table: d.table, variables: [...d.variables] })),
    ageMin: c.population.ageRange ? String(c.population.ageRange.min) : '',
    ageMax: c.population.ageRange ? String(c.population.ageRange.max) : '',
    sex: [...(c.population.sex ?? [])],
    departements: (c.population.departements ?? []).join(', '),
    regions: (c.population.regions ?? []).join(', '),
    from: c.period.from,
    to: c.period.to,
    durationMonths: String(c.durationMonths),
    accessMode: c.accessMode,
    justification: c.justification,
    epsilon: String(c.requestedEpsilon),
  };
}

function codes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
}

type Errors = Partial<Record<keyof FormState, string>>;

/** Checks the form as the schema would; returns the content, or the errors by field (keys). */
function check(f: FormState): { content: ApplicationContent | null; errors: Errors } {
  const errors: Errors = {};
  if (f.data.length === 0) errors.data = 'dataEmpty';
  else if (f.data.some((d) => d.variables.length === 0)) errors.data = 'dataNoVariable';
  const intOrNull = (s: string): number | null | undefined =>
    s.trim() === '' ? null : /^\d+$/.test(s.trim()) ? Number(s) : undefined;
  const min = intOrNull(f.ageMin);
  const max = intOrNull(f.ageMax);
  if (min === undefined || (min !== null && min > 130)) errors.ageMin = 'age';
  if (max === undefined || (max !== null && max > 130)) errors.ageMax = 'age';
  if ((min === null) !== (max === null)) errors.ageMax = 'ageBoth';
  else if (min != null && max != null && min > max) errors.ageMax = 'ageOrder';
  const deps = codes(f.departements);
  if (deps.some((d) => !DEPARTEMENT_RE.test(d))) errors.departements = 'departements';
  else if (new Set(deps).size !== deps.length) errors.departements = 'distinct';
  const regs = codes(f.regions);
  if (regs.some((r) => !REGION_RE.test(r))) errors.regions = 'regions';
  else if (new Set(regs).size !== regs.length) errors.regions = 'distinct';
  if (!DATE_RE.test(f.from)) errors.from = 'date';
  if (!DATE_RE.test(f.to)) errors.to = 'date';
  else if (DATE_RE.test(f.from) && f.from > f.to) errors.to = 'periodOrder';
  const months = intOrNull(f.durationMonths);
  if (months == null || months < 1 || months > 120) errors.durationMonths = 'duration';
  if (f.accessMode === 'workspace' && f.justification.trim() === '') {
    errors.justification = 'justificationWorkspace';
  }
  if (f.justification.length > 10_000) errors.justification = 'tooLong';
  const eps = f.epsilon.trim() === '' ? NaN : Number(f.epsilon.replace(',', '.'));
  if (!Number.isFinite(eps) || eps < 0 || eps > 100) errors.epsilon = 'epsilon';
  if (Object.keys(errors).length > 0) return { content: null, errors };
  return {
    errors,
    content: {
      data: f.data,
      population: {
        ...(min != null && max != null ? { ageRange: { min, max } } : {}),
        ...(f.sex.length > 0 ? { sex: f.sex } : {}),
        ...(deps.length > 0 ? { departements: deps } : {}),
        ...(regs.length > 0 ? { regions: regs } : {}),
      },
      period: { from: f.from, to: f.to },
      durationMonths: months ?? 0,
      accessMode: f.accessMode,
      justification: f.justification.trim(),
      requestedEpsilon: eps,
    },
  };
}

/**
 * `/recherche/projets/:projectId/demande` (a new draft) and
 * `/recherche/projets/:projectId/demande/:applicationId` (editing a draft, or an application
 * sent back for changes): save it, then submit it to the access committee.
 */
export function ApplicationPage(): ReactNode {
  const { t } = useTranslation('researcher');
  const navigate = useNavigate();
  const { projectId = '', applicationId } = useParams();
  const catalogue = useApi(() => api.get<Catalogue>('/api/v1/catalogue'), []);
  const existing = useApi(
    () =>
      applicationId === undefined
        ? Promise.resolve(null)
        : api.get<Application>(`/api/v1/applications/${applicationId}`),
    [applicationId],
  );
  const [form, setForm] = useState<FormState>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(applicationId ?? null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (existing.data !== null) setForm(fromContent(existing.data.content));
  }, [existing.data]);
  // Once errors are shown, they follow the corrections as they are typed.
  const shown = Object.keys(errors).length > 0;
  useEffect(() => {
    if (shown) setErrors(check(form).errors);
  }, [form, shown]);

  const set = <K extends keyof FormState>(k: K, v: FormState[K]): void =>
    setForm((f) => ({ ...f, [k]: v }));
  const message = (k: keyof FormState): string | null =>
    errors[k] === undefined ? null : t(`form.errors.${errors[k]}`);
  const state = (
    k: keyof FormState,
  ): { state: 'error' | 'default'; stateRelatedMessage: string } => ({
    state: errors[k] === undefined ? 'default' : 'error',
    stateRelatedMessage: message(k) ?? '',
  });

  const save = async (submit: boolean): Promise<void> => {
    const { content, errors: found } = check(form);
    setErrors(found);
    setNotice(null);
    if (content === null) return;
    setBusy(true);
    setError(null);
    try {
      const app =
        saved === null
          ? await api.post<Application>(`/api/v1/projects/${projectId}/applications`, content)
          : await api.patch<Application>(`/api/v1/applications/${saved}`, content);
      setSaved(app.id);
      if (submit) {
        await api.post(`/api/v1/applications/${app.id}/submit`, {});
        navigate(`/recherche/projets/${projectId}`);
      } else {
        setNotice(t('form.savedDraft'));
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void save(true);
  };

  const errorCount = Object.keys(errors).length;
  return (
    <>
      <Breadcrumb
        currentPageLabel={t('form.title')}
        segments={[
          { label: t('home.title'), linkProps: { to: '/recherche' } },
          { label: t('project.page'), linkProps: { to: `/recherche/projets/${projectId}` } },
        ]}
      />
      <h1>{applicationId === undefined ? t('form.title') : t('form.editTitle')}</h1>
      <p>{t('form.lead')}</p>
      <ErrorAlert error={catalogue.error ?? existing.error} />
      {(catalogue.loading || existing.loading) && <Loading />}
      <div role="status" aria-live="polite">
        {errorCount > 0 && (
          <Alert
            className="fr-mb-3w"
            severity="error"
            small
            description={t('form.errorsSummary', { count: errorCount })}
          />
        )}
        {notice !== null && (
          <Alert className="fr-mb-3w" severity="success" small description={notice} />
        )}
      </div>
      <ErrorAlert error={error} />
      {catalogue.data !== null && (
        <form onSubmit={onSubmit} noValidate>
          <DataPicker
            tables={catalogue.data.tables}
            value={form.data}
            onChange={(d) => set('data', d)}
            error={message('data')}
          />

          <fieldset className="fr-fieldset">
            <legend className="fr-fieldset__legend">{t('form.population')}</legend>
            <p className="fr-hint-text fr-fieldset__element">{t('form.populationHint')}</p>
            <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-6 fr-col-md-3">
                <Input
                  label={t('form.ageMin')}
                  {...state('ageMin')}
                  nativeInputProps={{
                    inputMode: 'numeric',
                    value: form.ageMin,
                    onChange: (e) => set('ageMin', e.target.value),
                  }}
                />
              </div>
              <div className="fr-col-6 fr-col-md-3">
                <Input
                  label={t('form.ageMax')}
                  {...state('ageMax')}
                  nativeInputProps={{
                    inputMode: 'numeric',
                    value: form.ageMax,
                    onChange: (e) => set('ageMax', e.target.value),
                  }}
                />
              </div>
            </div>
            <div className="fr-fieldset__element">
              <Checkbox
                orientation="horizontal"
                legend={t('form.sex')}
                hintText={t('form.sexHint')}
                options={(['female', 'male'] as const).map((s) => ({
                  label: t(`sex.${s}`),
                  nativeInputProps: {
                    checked: form.sex.includes(s),
                    onChange: (e) =>
                      set(
                        'sex',
                        e.target.checked ? [...form.sex, s] : form.sex.filter((x) => x !== s),
                      ),
                  },
                }))}
              />
            </div>
            <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-6">
                <Input
                  label={t('form.departements')}
                  hintText={t('form.departementsHint')}
                  {...state('departements')}
                  nativeInputProps={{
                    value: form.departements,
                    onChange: (e) => set('departements', e.target.value),
                  }}
                />
              </div>
              <div className="fr-col-12 fr-col-md-6">
                <Input
                  label={t('form.regions')}
                  hintText={t('form.regionsHint')}
                  {...state('regions')}
                  nativeInputProps={{
                    value: form.regions,
                    onChange: (e) => set('regions', e.target.value),
                  }}
                />
              </div>
            </div>
          </fieldset>

          <fieldset className="fr-fieldset">
            <legend className="fr-fieldset__legend">{t('form.periodAndDuration')}</legend>
            <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-4">
                <Input
                  label={t('form.from')}
                  {...state('from')}
                  nativeInputProps={{
                    type: 'date',
                    value: form.from,
                    onChange: (e) => set('from', e.target.value),
                  }}
                />
              </div>
              <div className="fr-col-12 fr-col-md-4">
                <Input
                  label={t('form.to')}
                  {...state('to')}
                  nativeInputProps={{
                    type: 'date',
                    value: form.to,
                    onChange: (e) => set('to', e.target.value),
                  }}
                />
              </div>
              <div className="fr-col-12 fr-col-md-4">
                <Input
                  label={t('form.durationMonths')}
                  hintText={t('form.durationHint')}
                  {...state('durationMonths')}
                  nativeInputProps={{
                    inputMode: 'numeric',
                    value: form.durationMonths,
                    onChange: (e) => set('durationMonths', e.target.value),
                  }}
                />
              </div>
            </div>
          </fieldset>

          <RadioButtons
            legend={t('form.accessMode')}
            name="accessMode"
            options={(['aggregate_only', 'workspace'] as const).map((m) => ({
              label: t(`accessMode.${m}`),
              hintText: t(`accessModeHint.${m}`),
              nativeInputProps: {
                checked: form.accessMode === m,
                onChange: () => set('accessMode', m),
              },
            }))}
          />
          <Input
            textArea
            label={t('form.justification')}
            hintText={t('form.justificationHint')}
            {...state('justification')}
            nativeTextAreaProps={{
              rows: 4,
              value: form.justification,
              onChange: (e) => set('justification', e.target.value),
            }}
          />
          <Input
            label={t('form.epsilon')}
            hintText={t('form.epsilonHint')}
            {...state('epsilon')}
            nativeInputProps={{
              inputMode: 'decimal',
              value: form.epsilon,
              onChange: (e) => set('epsilon', e.target.value),
            }}
          />
          <div className="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
            <Button
              type="button"
              priority="secondary"
              disabled={busy}
              onClick={() => void save(false)}
            >
              {t('form.saveDraft')}
            </Button>
            <Button type="submit" disabled={busy}>
              {t('form.submit')}
            </Button>
          </div>
          {busy && <Loading />}
        </form>
      )}
    </>
  );
}
