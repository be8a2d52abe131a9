/**
 * What the output checker reads before a release: the result cells with their marks (withheld,
 * rounded) and, per table, the checks disclosure control performed and what they withheld.
 */
import type { ReactNode } from 'react';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { formatNumber } from './format';
import type { ResultTable, RunDisclosure, TableReport } from './types';

/** Cells shown unfolded up to this many. */
const FOLD_AFTER = 20;

function ChecksList({ report }: { report: TableReport }): ReactNode {
  const { t } = useTranslation('reviewer');
  const rows: [string, string][] = [
    [t('report.guaranteeLabel'), t(`report.guarantee.${report.guarantee}`)],
    [t('report.minCellSize'), String(report.minCellSize)],
    [t('report.suppressZero'), t(report.suppressZero ? 'common:yes' : 'common:no')],
    [
      t('report.dominance'),
      report.dominanceRules.length === 0
        ? t('report.none')
        : report.dominanceRules
            .map((d) =>
              t('report.dominanceRule', { n: d.n ?? '?', k: d.k ?? d.p ?? '?', kind: d.kind }),
            )
            .join(' ; '),
    ],
    [
      t('report.rounding'),
      report.roundingBase === null
        ? t('report.noRounding')
        : t('report.roundingBase', { base: report.roundingBase }),
    ],
    [t('report.positions'), t('report.releasedWithheld', report.positions)],
    [t('report.cells'), t('report.releasedWithheld', report.cells)],
    [
      t('report.differencing'),
      report.differencing.applied
        ? t('report.differencingApplied', {
            count: report.differencing.tooClose,
            action: t(`report.differencingAction.${report.differencing.action}`, {
              defaultValue: report.differencing.action,
            }),
          })
        : t('report.notRun'),
    ],
    [
      t('report.secondary'),
      report.secondary === undefined
        ? '—'
        : t(`report.audit.${report.secondary.audit}`, { defaultValue: report.secondary.audit }) +
          (report.secondary.unprotectable.length > 0
            ? ` — ${t('report.unprotectable', { count: report.secondary.unprotectable.length })}`
            : ''),
    ],
    [
      t('report.dp'),
      report.dp === null
        ? t('report.noDp')
        : t('report.dpValue', {
            epsilon: report.dp.cost.epsilon,
            delta: report.dp.cost.delta ?? 0,
            mechanism: report.dp.mechanism,
          }),
    ],
  ];
  return (
    <Table
      caption={t('report.checksCaption', { measure: report.measure })}
      headers={[t('report.check'), t('report.outcome')]}
      data={rows}
    />
  );
}

function WithheldByList({ report }: { report: TableReport }): ReactNode {
  const { t } = useTranslation('reviewer');
  const by = Object.entries(report.withheldBy ?? {});
  if (by.length === 0) return null;
  return (
    <Table
      caption={t('report.withheldByCaption', { measure: report.measure })}
      headers={[t('report.rule'), t('report.positionsShort'), t('report.cellsShort')]}
      data={by.map(([rule, c]) => [
        t(`report.reason.${rule}`, { defaultValue: rule }),
        c.positions,
        c.cells,
      ])}
    />
  );
}

function CellsTable({
  table,
  roundingBase,
}: {
  table: ResultTable;
  roundingBase: number | null;
}): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  return (
    <Table
      caption={t('report.cellsCaption', { measure: table.measure })}
      headers={[
        ...table.dimensions,
        t('report.colMeasure'),
        t('report.colValue'),
        t('report.colMark'),
      ]}
      data={table.cells.map((c) => [
        ...table.dimensions.map((d) => c.strata[d] ?? t('report.total')),
        c.measure,
        c.suppressed || c.value === null ? (
          <em key="v">{t('common:suppressed')}</em>
        ) : (
          formatNumber(c.value, i18n.language)
        ),
        c.suppressed
          ? t('report.markWithheld')
          : roundingBase !== null
            ? t('report.markRounded', { base: roundingBase })
            : t('report.markReleased'),
      ])}
    />
  );
}

export function DisclosureReportView({
  disclosure,
  tables,
}: {
  disclosure: RunDisclosure;
  tables: readonly ResultTable[] | null;
}): ReactNode {
  const { t } = useTranslation('reviewer');
  return (
    <>
      {disclosure.tables.map((report) => {
        const result = tables?.find((x) => x.measure === report.measure) ?? null;
        return (
          <section key={report.measure} aria-labelledby={`report-${report.measure}`}>
            <h3 id={`report-${report.measure}`}>
              {t('report.tableTitle', { measure: report.measure })}
            </h3>
            <ChecksList report={report} />
            <WithheldByList report={report} />
            {result !== null && (
              // A long table would push the decision far below: folded beyond a screenful.
              <Accordion
                label={t('report.cellsToggle', { count: result.cells.length })}
                defaultExpanded={result.cells.length <= FOLD_AFTER}
                className="fr-mb-3w"
              >
                <CellsTable table={result} roundingBase={report.roundingBase} />
              </Accordion>
            )}
          </section>
        );
      })}
      <p>
        {disclosure.attrition.withheld === 0
          ? t('report.attritionNone')
          : t('report.attritionWithheld', { count: disclosure.attrition.withheld })}
      </p>
    </>
  );
}
