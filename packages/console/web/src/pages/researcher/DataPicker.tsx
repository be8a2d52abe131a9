/** Picking the data an application requests: tables of the catalogue, and variables of each. */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useTranslation } from 'react-i18next';
import type { CatalogueTable, DataItem } from './types';

/** Tables and variables, chosen from the catalogue; each added table starts with every variable. */
export function DataPicker({
  tables,
  value,
  onChange,
  error,
}: {
  tables: readonly CatalogueTable[];
  value: readonly DataItem[];
  onChange: (next: DataItem[]) => void;
  error: string | null;
}): ReactNode {
  const { t } = useTranslation('researcher');
  const available = tables.filter((tb) => !value.some((d) => d.table === tb.name));
  const [choice, setChoice] = useState('');
  const add = (): void => {
    const tb = tables.find((x) => x.name === choice);
    if (tb === undefined) return;
    onChange([...value, { table: tb.name, variables: tb.variables.map((v) => v.name) }]);
    setChoice('');
  };
  const toggle = (table: string, variable: string, on: boolean): void =>
    onChange(
      value.map((d) =>
        d.table !== table
          ? d
          : {
              table,
              variables: on
                ? [...d.variables, variable]
                : d.variables.filter((v) => v !== variable),
            },
      ),
    );
  return (
    <fieldset className="fr-fieldset" aria-describedby={error ? 'data-error' : undefined}>
      <legend className="fr-fieldset__legend">{t('form.data')}</legend>
      <div className="fr-fieldset__element">
        <p className="fr-hint-text">{t('form.dataHint')}</p>
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-8">
            <Select
              label={t('form.addTable')}
              nativeSelectProps={{ value: choice, onChange: (e) => setChoice(e.target.value) }}
            >
              <option value="">{t('form.chooseTable')}</option>
              {available.map((tb) => (
                <option key={tb.name} value={tb.name}>
                  {tb.name} — {tb.description}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Button type="button" priority="secondary" onClick={add} disabled={choice === ''}>
              {t('form.addTableButton')}
            </Button>
          </div>
        </div>
        {error !== null && (
          <p id="data-error" className="fr-error-text">
            {error}
          </p>
        )}
      </div>
      {value.map((d) => {
        const tb = tables.find((x) => x.name === d.table);
        return (
          <div key={d.table} className="fr-fieldset__element fr-mt-2w">
            <Checkbox
              small
              orientation="horizontal"
              legend={t('form.variablesOf', { table: d.table })}
              {...(d.variables.length === 0
                ? { state: 'error' as const, stateRelatedMessage: t('form.noVariable') }
                : {})}
              options={(tb?.variables ?? []).map((v) => ({
                label: v.name,
                nativeInputProps: {
                  checked: d.variables.includes(v.name),
                  onChange: (e) => toggle(d.table, v.name, e.target.checked),
                },
              }))}
            />
            <Button
              type="button"
              size="small"
              priority="tertiary"
              iconId="fr-icon-delete-line"
              onClick={() => onChange(value.filter((x) => x.table !== d.table))}
            >
              {t('form.removeTable', { table: d.table })}
            </Button>
          </div>
        );
      })}
    </fieldset>
  );
}
