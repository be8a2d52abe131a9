/** Creating a research project: its title, purpose, legal basis and public summary. */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Project } from './types';

const FIELDS = [
  { key: 'title', max: 300, textArea: false },
  { key: 'purpose', max: 5000, textArea: true },
  { key: 'legalBasis', max: 2000, textArea: true },
  { key: 'funding', max: 2000, textArea: false },
  { key: 'publicSummary', max: 5000, textArea: true },
] as const;

type Key = (typeof FIELDS)[number]['key'];

/** `/recherche/projets/nouveau`: the creator becomes the principal investigator. */
export function NewProjectPage(): ReactNode {
  const { t } = useTranslation('researcher');
  const navigate = useNavigate();
  const [values, setValues] = useState<Record<Key, string>>({
    title: '',
    purpose: '',
    legalBasis: '',
    funding: '',
    publicSummary: '',
  });
  const [missing, setMissing] = useState<readonly Key[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const empty = FIELDS.filter((f) => f.key !== 'funding' && values[f.key].trim() === '').map(
      (f) => f.key,
    );
    setMissing(empty);
    if (empty.length > 0) return;
    setBusy(true);
    setError(null);
    api
      .post<Project>('/api/v1/projects', {
        title: values.title.trim(),
        purpose: values.purpose.trim(),
        legalBasis: values.legalBasis.trim(),
        funding: values.funding.trim() === '' ? null : values.funding.trim(),
        publicSummary: values.publicSummary.trim(),
      })
      .then((p) => navigate(`/recherche/projets/${p.id}`))
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <Breadcrumb
        currentPageLabel={t('newProject.title')}
        segments={[{ label: t('home.title'), linkProps: { to: '/recherche' } }]}
      />
      <h1>{t('newProject.title')}</h1>
      <p>{t('newProject.lead')}</p>
      <ErrorAlert error={error} />
      <form onSubmit={submit} noValidate>
        {FIELDS.map((f) => {
          const common = {
            label: t(`project.${f.key}`),
            hintText: t(`newProject.hint.${f.key}`),
            state: missing.includes(f.key) ? ('error' as const) : ('default' as const),
            stateRelatedMessage: t('form.required'),
          };
          const onChange = (value: string): void => setValues((v) => ({ ...v, [f.key]: value }));
          return f.textArea ? (
            <Input
              key={f.key}
              {...common}
              textArea
              nativeTextAreaProps={{
                value: values[f.key],
                maxLength: f.max,
                rows: 4,
                onChange: (e) => onChange(e.target.value),
              }}
            />
          ) : (
            <Input
              key={f.key}
              {...common}
              nativeInputProps={{
                value: values[f.key],
                maxLength: f.max,
                onChange: (e) => onChange(e.target.value),
              }}
            />
          );
        })}
        <Button type="submit" disabled={busy}>
          {t('newProject.submit')}
        </Button>
      </form>
    </>
  );
}
