/**
 * Concept search: a combobox over `GET /api/v1/concepts` (debounced: the route is cheap and not
 * audited, but a request per keystroke would still race), whose listbox picks codes into a
 * concept set — with or without their descendants, included or excluded.
 */
import { useEffect, useId, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { Concept } from './types';

export const VOCABULARIES = ['CIM10', 'ATC', 'CCAM', 'CIP13', 'LOINC', 'Visit'] as const;
export type Vocabulary = (typeof VOCABULARIES)[number];

/** A code picked into the concept set. */
export interface PickedCode {
  readonly vocabulary: Vocabulary;
  readonly code: string;
  readonly name: string;
  readonly descendants: boolean;
  readonly exclude: boolean;
}

const DEBOUNCE_MS = 250;

function useConceptSearch(
  q: string,
  vocabulary: string,
): {
  concepts: readonly Concept[];
  error: unknown;
  searching: boolean;
} {
  const [concepts, setConcepts] = useState<readonly Concept[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [searching, setSearching] = useState(false);
  useEffect(() => {
    if (q.trim().length < 2) {
      setConcepts([]);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      setSearching(true);
      api
        .get<{ concepts: Concept[] }>('/api/v1/concepts', { q: q.trim(), vocabulary, limit: 15 })
        .then((r) => {
          if (!stale) {
            setConcepts(r.concepts);
            setError(null);
          }
        })
        .catch((e: unknown) => {
          if (!stale) setError(e);
        })
        .finally(() => {
          if (!stale) setSearching(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q, vocabulary]);
  return { concepts, error, searching };
}

/** The concept search and the codes picked so far. */
export function ConceptPicker({
  value,
  onChange,
}: {
  value: readonly PickedCode[];
  onChange: (next: PickedCode[]) => void;
}): ReactNode {
  const { t } = useTranslation('researcher');
  const id = useId();
  const [q, setQ] = useState('');
  const [vocabulary, setVocabulary] = useState<Vocabulary>('CIM10');
  const [active, setActive] = useState(-1);
  const { concepts, error, searching } = useConceptSearch(q, vocabulary);
  const open = concepts.length > 0;
  useEffect(() => setActive(-1), [concepts]);

  const pick = (c: Concept): void => {
    if (!value.some((p) => p.vocabulary === c.vocabulary && p.code === c.code)) {
      onChange([
        ...value,
        {
          vocabulary: c.vocabulary as Vocabulary,
          code: c.code,
          name: c.name,
          descendants: true,
          exclude: false,
        },
      ]);
    }
    setQ('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (!open) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, concepts.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      const c = concepts[active];
      if (c) pick(c);
    } else if (e.key === 'Escape') {
      setQ('');
    }
  };
  const update = (i: number, patch: Partial<PickedCode>): void =>
    onChange(value.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  return (
    <div className="fr-mb-3w">
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-3">
          <Select
            label={t('query.vocabulary')}
            nativeSelectProps={{
              value: vocabulary,
              onChange: (e) => setVocabulary(e.target.value as Vocabulary),
            }}
          >
            {VOCABULARIES.map((v) => (
              <option key={v} value={v}>
                {t(`vocabulary.${v}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-9">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor={`${id}-q`}>
              {t('query.conceptSearch')}
              <span className="fr-hint-text">{t('query.conceptSearchHint')}</span>
            </label>
            <input
              id={`${id}-q`}
              className="fr-input"
              role="combobox"
              aria-autocomplete="list"
              aria-expanded={open}
              aria-controls={`${id}-list`}
              aria-activedescendant={active >= 0 ? `${id}-opt-${active}` : undefined}
              autoComplete="off"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={onKey}
            />
          </div>
        </div>
      </div>
      <ErrorAlert error={error} />
      <p role="status" aria-live="polite" className="fr-sr-only">
        {searching
          ? t('query.searching')
          : open
            ? t('query.found', { count: concepts.length })
            : ''}
      </p>
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={t('query.conceptResults')}
        className="fr-raw-list"
        hidden={!open}
        style={{
          border: '1px solid var(--border-default-grey)',
          maxHeight: '18rem',
          overflowY: 'auto',
        }}
      >
        {concepts.map((c, i) => (
          <li
            key={`${c.vocabulary}-${c.code}`}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            tabIndex={-1}
            className="fr-p-1w"
            style={{
              cursor: 'pointer',
              background: i === active ? 'var(--background-action-low-blue-france)' : undefined,
            }}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(c)}
          >
            <strong>{c.code}</strong> — {c.name}{' '}
            <span className="fr-text--xs">
              ({c.vocabulary}
              {c.descendants > 0
                ? `, ${t('query.descendantsCount', { count: c.descendants })}`
                : ''}
              )
            </span>
          </li>
        ))}
      </ul>

      {value.length > 0 && (
        <div className="fr-table fr-mt-2w">
          <table>
            <caption>{t('query.pickedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('query.code')}</th>
                <th scope="col">{t('query.withDescendants')}</th>
                <th scope="col">{t('query.role')}</th>
                <th scope="col">{t('query.remove')}</th>
              </tr>
            </thead>
            <tbody>
              {value.map((p, i) => (
                <tr key={`${p.vocabulary}-${p.code}`}>
                  <td>
                    <strong>
                      {p.vocabulary} {p.code}
                    </strong>{' '}
                    — {p.name}
                  </td>
                  <td>
                    <div className="fr-checkbox-group fr-checkbox-group--sm">
                      <input
                        type="checkbox"
                        id={`${id}-desc-${i}`}
                        checked={p.descendants}
                        onChange={(e) => update(i, { descendants: e.target.checked })}
                      />
                      <label className="fr-label" htmlFor={`${id}-desc-${i}`}>
                        {t('query.descendantsOf', { code: p.code })}
                      </label>
                    </div>
                  </td>
                  <td>
                    <select
                      className="fr-select"
                      aria-label={t('query.roleOf', { code: p.code })}
                      value={p.exclude ? 'exclude' : 'include'}
                      onChange={(e) => update(i, { exclude: e.target.value === 'exclude' })}
                    >
                      <option value="include">{t('query.include')}</option>
                      <option value="exclude">{t('query.exclude')}</option>
                    </select>
                  </td>
                  <td>
                    <Button
                      type="button"
                      size="small"
                      priority="tertiary no outline"
                      iconId="fr-icon-delete-line"
                      title={t('query.removeCode', { code: p.code })}
                      onClick={() => onChange(value.filter((_, j) => j !== i))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
