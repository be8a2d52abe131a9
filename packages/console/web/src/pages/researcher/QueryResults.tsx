/**
 * The controlled result of a query run: the attrition (a chart and the same numbers as text), a
 * table and a chart per measure, and the disclosure report. Withheld values are said to be
 * withheld — never drawn or written as 0.
 */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import { useNumber } from './shared';
import type { QueryRunAnswer, Strata } from './types';

interface Cell {
  readonly strata: Strata;
  readonly measure: string;
  readonly value: number | null;
  readonly persons: number | null;
  readonly suppressed: boolean;
  readonly rate?: { numerator: number | null; denominator: number | null; per: number };
}

interface ResultTable {
  readonly measure: string;
  readonly kind: string;
  readonly dimensions: readonly string[];
  readonly cells: readonly Cell[];
}

interface AttritionStep {
  readonly step: number;
  readonly kind: string;
  readonly name: string;
  readonly persons: number | null;
  readonly suppressed: boolean;
}

interface TableReport {
  readonly measure?: string;
  readonly guarantee?: string;
  readonly minCellSize?: number;
  readonly roundingBase?: number | null;
  readonly positions?: { total: number; released: number; withheld: number };
  readonly cells?: { total: number; released: number; withheld: number };
  readonly differencing?: { applied: boolean; tooClose: number };
}

/** The result's loose JSON objects, read as the disclosure module writes them. */
function tablesOf(answer: QueryRunAnswer): ResultTable[] {
  return (answer.result?.tables ?? []) as unknown as ResultTable[];
}

function strataLabel(t: (k: string, o?: Record<string, unknown>) => string, s: Strata): string {
  const parts = Object.entries(s).map(([dim, v]) =>
    dim === 'sex' && (v === 'female' || v === 'male') ? t(`sex.${v}`) : String(v ?? '—'),
  );
  return parts.length === 0 ? t('results.all') : parts.join(' · ');
}

function Masked(): ReactNode {
  const { t } = useTranslation();
  return <em className="fr-text--sm">{t('common:suppressed')}</em>;
}

/** Persons remaining at each step of the cohort definition. */
function Attrition({ steps }: { steps: readonly AttritionStep[] }): ReactNode {
  const { t } = useTranslation('researcher');
  const num = useNumber();
  const data = steps.map((s) => ({
    label: `${s.step + 1}. ${s.name}`,
    persons: s.suppressed ? null : s.persons,
  }));
  return (
    <section className="fr-mb-4w">
      <h3>{t('results.attrition')}</h3>
      <figure className="fr-m-0" aria-describedby="attrition-table">
        <div
          style={{ width: '100%', height: 260 }}
          aria-hidden="true"
          data-testid="attrition-chart"
        >
          <ResponsiveContainer>
            <BarChart data={data} layout="vertical" margin={{ left: 24, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="label" width={260} />
              <Tooltip />
              <Bar dataKey="persons" name={t('results.persons')} fill="#000091" />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="fr-text--sm">{t('results.attritionCaption')}</figcaption>
      </figure>
      <div className="fr-table" id="attrition-table">
        <table>
          <caption>{t('results.attritionTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('results.step')}</th>
              <th scope="col">{t('results.persons')}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.step}>
                <td>
                  {s.step + 1}. {s.name}
                </td>
                <td>{s.suppressed || s.persons === null ? <Masked /> : num(s.persons)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One measure: its cells as a table, and as a bar chart by stratum. */
function MeasureTable({ table }: { table: ResultTable }): ReactNode {
  const { t } = useTranslation('researcher');
  const num = useNumber();
  const isRate = table.cells.some((c) => c.rate !== undefined);
  const chart = table.cells
    .filter((c) => !c.suppressed && c.value !== null)
    .map((c) => ({ label: strataLabel(t, c.strata), value: c.value }));
  const masked = table.cells.filter((c) => c.suppressed || c.value === null).length;
  return (
    <section className="fr-mb-4w">
      <h3>
        {t(`measureKind.${table.kind}`, { defaultValue: table.kind })}{' '}
        <code className="fr-text--md">{table.measure}</code>
      </h3>
      <div className="fr-table">
        <table>
          <caption>{t('results.tableCaption', { measure: table.measure })}</caption>
          <thead>
            <tr>
              {table.dimensions.map((d) => (
                <th key={d} scope="col">
                  {t(`dimension.${d}`, { defaultValue: d })}
                </th>
              ))}
              <th scope="col">{isRate ? t('results.rate') : t('results.value')}</th>
              {isRate && <th scope="col">{t('results.numerator')}</th>}
              {isRate && <th scope="col">{t('results.denominator')}</th>}
              <th scope="col">{t('results.persons')}</th>
            </tr>
          </thead>
          <tbody>
            {table.cells.map((c, i) => (
              <tr key={i}>
                {table.dimensions.map((d) => (
                  <td key={d}>
                    {d === 'sex' && (c.strata[d] === 'female' || c.strata[d] === 'male')
                      ? t(`sex.${String(c.strata[d])}`)
                      : String(c.strata[d] ?? '—')}
                  </td>
                ))}
                <td>{c.suppressed || c.value === null ? <Masked /> : num(c.value, 2)}</td>
                {isRate && (
                  <td>{c.rate?.numerator == null ? <Masked /> : num(c.rate.numerator, 2)}</td>
                )}
                {isRate && (
                  <td>{c.rate?.denominator == null ? <Masked /> : num(c.rate.denominator, 2)}</td>
                )}
                <td>{c.persons === null ? <Masked /> : num(c.persons)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.cells.length > 1 && chart.length > 0 && (
        <figure className="fr-m-0">
          <div style={{ width: '100%', height: 260 }} aria-hidden="true">
            <ResponsiveContainer>
              <BarChart data={chart} margin={{ left: 24, right: 24 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis />
                <Tooltip />
                <Bar dataKey="value" name={table.measure} fill="#6a6af4" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <figcaption className="fr-text--sm">
            {t('results.chartCaption', { measure: table.measure })}
            {masked > 0 ? ` ${t('results.maskedNotDrawn', { count: masked })}` : ''}
          </figcaption>
        </figure>
      )}
    </section>
  );
}

/** What disclosure control did, table by table (a member's view: no per-cell reasons). */
function DisclosureReport({ report }: { report: Record<string, unknown> }): ReactNode {
  const { t } = useTranslation('researcher');
  const tables = (Array.isArray(report['tables']) ? report['tables'] : []) as TableReport[];
  if (tables.length === 0) return null;
  return (
    <section className="fr-mb-4w">
      <h3>{t('results.disclosure')}</h3>
      <div className="fr-table">
        <table>
          <caption>{t('results.disclosureCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('results.measure')}</th>
              <th scope="col">{t('results.guarantee')}</th>
              <th scope="col">{t('results.minCellSize')}</th>
              <th scope="col">{t('results.released')}</th>
              <th scope="col">{t('results.withheld')}</th>
              <th scope="col">{t('results.rounding')}</th>
            </tr>
          </thead>
          <tbody>
            {tables.map((r, i) => (
              <tr key={r.measure ?? i}>
                <td>{r.measure ?? '—'}</td>
                <td>{t(`guarantee.${r.guarantee ?? 'sdc'}`, { defaultValue: r.guarantee })}</td>
                <td>{r.minCellSize ?? '—'}</td>
                <td>{r.cells ? `${r.cells.released} / ${r.cells.total}` : '—'}</td>
                <td>
                  {r.cells?.withheld ?? '—'}
                  {r.differencing?.applied && r.differencing.tooClose > 0
                    ? ` (${t('results.differencing', { count: r.differencing.tooClose })})`
                    : ''}
                </td>
                <td>
                  {r.roundingBase
                    ? t('results.roundedTo', { base: r.roundingBase })
                    : t('common:no')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The whole controlled result of a run. */
export function QueryResults({ answer }: { answer: QueryRunAnswer }): ReactNode {
  const { t } = useTranslation('researcher');
  if (answer.result === null) return <p>{t('results.none')}</p>;
  const attrition = answer.result.attrition as unknown as AttritionStep[];
  return (
    <>
      {attrition.length > 0 && <Attrition steps={attrition} />}
      {tablesOf(answer).map((tb) => (
        <MeasureTable key={tb.measure} table={tb} />
      ))}
      {answer.result.disclosure !== null && <DisclosureReport report={answer.result.disclosure} />}
    </>
  );
}
