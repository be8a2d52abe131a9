/**
 * `hygie surveillance run|series|alerts` (issue #7): the population-health monitoring of a data
 * directory, from the shell — what the server runs on its schedule. The server holds the
 * warehouse while it runs (DuckDB has one writer): use these with the server stopped, or the
 * API (`/api/v1/surveillance/…`) while it runs.
 *
 * The shell is the operator's: series and alerts are printed without the analysts' small-count
 * suppression, as the warehouse holds them. A run is recorded in the audit trail (and so the
 * transparency log) as the operator's `surveillance.run`, on success and on failure.
 */
import type { Command } from 'commander';
import { HygieError } from '@hygie/core';
import {
  HISTORY_WEEKS,
  LEVELS,
  runSurveillance,
  SurveillanceStore,
  UNITS,
} from '@hygie/surveillance';
import type { Level, Unit } from '@hygie/surveillance';
import { DEFAULT_DATA_DIR } from '@hygie/keys';
import { migrate, openDuckDbWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import { choiceArg } from '../arguments.js';
import { operatorOperation } from '../operator-audit.js';
import { createProgress } from '../progress.js';

async function withWarehouse<T>(
  dataDir: string,
  readOnly: boolean,
  fn: (w: WarehouseEngine) => Promise<T>,
): Promise<T> {
  const warehouse = await openDuckDbWarehouse({ dataDir, readOnly });
  try {
    if (!readOnly) await migrate(warehouse);
    return await fn(warehouse);
  } finally {
    await warehouse.close();
  }
}

const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function dateArg(value: string): string {
  if (!ISO_DATE.test(value)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `${value}: a date is YYYY-MM-DD`, {
      argument: 'date',
    });
  }
  return value;
}

const num = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));

/** Registers `hygie surveillance`. */
export function registerSurveillance(program: Command): void {
  const s = program
    .command('surveillance')
    .description('population-health monitoring: indicator series and outbreak detection');

  s.command('run')
    .description(
      'compute every syndrome series (weekly, monthly; nation, régions, départements) and test the last week',
    )
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption('--from <date>', 'first day of the series (a Monday), e.g. 2019-01-07', dateArg)
    .requiredOption('--to <date>', 'last day (a Sunday): its week is tested', dateArg)
    .option('--syndromes <ids>', 'comma-separated syndrome ids (default: all)')
    .option('-q, --quiet', 'no progress display')
    .action(
      async (opts: {
        dataDir: string;
        from: string;
        to: string;
        syndromes?: string;
        quiet?: boolean;
      }) => {
        const t0 = performance.now();
        const report = await operatorOperation(
          opts.dataDir,
          'surveillance.run',
          'surveillance',
          async () => {
            const r = await withWarehouse(opts.dataDir, false, async (warehouse) => {
              const progress = createProgress(opts.quiet === true, 'series');
              try {
                return await runSurveillance(warehouse, new SurveillanceStore(warehouse), {
                  trigger: 'manual',
                  period: { from: opts.from, to: opts.to },
                  ...(opts.syndromes !== undefined
                    ? { syndromes: opts.syndromes.split(',').map((x) => x.trim()) }
                    : {}),
                  onProgress: (done, total) => progress.update('surveillance', done, total),
                });
              } finally {
                progress.stop();
              }
            });
            return {
              result: r,
              targetId: r.runId,
              details: {
                result: 'run',
                trigger: 'manual',
                rows: r.values,
                measures: r.series,
                alarms: r.alarms,
              },
            };
          },
        );
        process.stdout.write(
          `Run ${report.runId}: ${report.series} series, ${report.values.toLocaleString('en-GB')} values, ` +
            `${report.results.toLocaleString('en-GB')} detection results, ${report.alarms} alarms ` +
            `(${report.pastAlarms} in the ${HISTORY_WEEKS} weeks before) ` +
            `in ${((performance.now() - t0) / 1000).toFixed(1)} s.\n`,
        );
      },
    );

  s.command('series')
    .description('print an indicator series (as computed by the latest run)')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .requiredOption(
      '--indicator <id>',
      'e.g. influenza, hospitalisations-influenza, deaths, excess-mortality, deaths-circulatory',
    )
    .option('--level <level>', LEVELS.join(', '), choiceArg(LEVELS), 'nation')
    .option('--unit <unit>', UNITS.join(', '), choiceArg(UNITS), 'isoweek')
    .option('--area <code>', 'INSEE code of one area')
    .option('--from <period>', 'first period (2024-W01 or 2024-01)')
    .option('--to <period>', 'last period')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        dataDir: string;
        indicator: string;
        level: Level;
        unit: Unit;
        area?: string;
        from?: string;
        to?: string;
        json?: boolean;
      }) => {
        await withWarehouse(opts.dataDir, true, async (warehouse) => {
          const values = await new SurveillanceStore(warehouse).series({
            indicator: opts.indicator,
            level: opts.level,
            unit: opts.unit,
            ...(opts.area !== undefined ? { area: opts.area } : {}),
            ...(opts.from !== undefined ? { from: opts.from } : {}),
            ...(opts.to !== undefined ? { to: opts.to } : {}),
          });
          if (opts.json) {
            process.stdout.write(JSON.stringify(values, null, 2) + '\n');
            return;
          }
          process.stdout.write(
            'area  period     cases  rate/100k  95 % interval      standardised  95 % interval\n',
          );
          for (const v of values) {
            const crude = `[${num(v.rateLower)}, ${num(v.rateUpper)}]`;
            process.stdout.write(
              `${v.area.padEnd(5)} ${v.period.padEnd(9)} ${String(v.cases).padStart(6)}  ` +
                `${num(v.rate).padStart(9)}  ${crude.padEnd(16)}  ` +
                `${num(v.standardisedRate ?? null).padStart(12)}  ` +
                `[${num(v.standardisedLower ?? null)}, ${num(v.standardisedUpper ?? null)}]\n`,
            );
          }
        });
      },
    );

  s.command('alerts')
    .description(
      'print the alarms of the latest week of the latest completed run (or every result with --all)',
    )
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .option('--indicator <id>', 'one syndrome')
    .option('--level <level>', LEVELS.join(', '), choiceArg(LEVELS))
    .option('--all', 'every detection result, not only alarms')
    .option('--history', 'also the alarms of the year before the latest week')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        dataDir: string;
        indicator?: string;
        level?: Level;
        all?: boolean;
        history?: boolean;
        json?: boolean;
      }) => {
        await withWarehouse(opts.dataDir, true, async (warehouse) => {
          const store = new SurveillanceStore(warehouse);
          const run = (await store.runs(50)).find((r) => r.status === 'completed');
          if (run === undefined) {
            throw new HygieError(
              'HYG_NOT_FOUND',
              'no completed surveillance run: hygie surveillance run',
            );
          }
          const alerts = await store.alerts({
            runId: run.runId,
            ...(opts.indicator !== undefined ? { indicator: opts.indicator } : {}),
            ...(opts.level !== undefined ? { level: opts.level } : {}),
            ...(opts.history === true ? {} : { period: 'latest' }),
            all: opts.all === true,
          });
          if (opts.json) {
            process.stdout.write(JSON.stringify({ run, alerts }, null, 2) + '\n');
            return;
          }
          process.stdout.write(
            `Run ${run.runId} (${run.trigger}, ${run.startedAt}): ${alerts.length} results\n`,
          );
          for (const a of alerts) {
            process.stdout.write(
              `${a.period} ${a.indicator.padEnd(16)} ${a.level.padEnd(11)} ${a.area.padEnd(4)} ` +
                `${a.algorithm.padEnd(20)} observed ${a.observed}, expected ${num(a.expected)}, ` +
                `threshold ${num(a.threshold)}${a.pValue === null ? '' : `, p = ${a.pValue.toExponential(2)}`}` +
                `${a.alarm ? '  ALARM' : ''}\n`,
            );
          }
        });
      },
    );
}
