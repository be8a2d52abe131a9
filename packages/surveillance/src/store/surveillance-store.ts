/**
 * Where the surveillance computation keeps its results in the warehouse (migration 5):
 * runs, the latest value of every indicator series, and detection results with their evidence.
 * Aggregates only — counts, denominators, rates — never a person.
 *
 * A run replaces an indicator's series in one transaction (delete, then bulk append), so that a
 * reader sees either the previous series or the new one, never a mix; alerts accumulate, each
 * tagged with its run.
 */
import { randomUUID } from 'node:crypto';
import { HygieError } from '@hygie/core';
import { SqlParams } from '@hygie/analytics';
import type { WarehouseEngine } from '@hygie/warehouse';

/** Geographic levels of the series. */
export const LEVELS = ['nation', 'region', 'departement'] as const;
/** A geographic level. */
export type Level = (typeof LEVELS)[number];

/** Time units of the series. */
export const UNITS = ['isoweek', 'month'] as const;
/** A time unit. */
export type Unit = (typeof UNITS)[number];

/** What started a run. */
export type RunTrigger = 'schedule' | 'ingestion' | 'manual';

/** One value of an indicator series. */
export interface SeriesValue {
  readonly level: Level;
  /** INSEE code of the area, `FR` for the nation. */
  readonly area: string;
  readonly unit: Unit;
  /** ISO week `2024-W05` or month `2024-02`. */
  readonly period: string;
  readonly cases: number;
  readonly population: number | null;
  readonly rate: number | null;
  readonly rateLower: number | null;
  readonly rateUpper: number | null;
  readonly standardisedRate: number | null;
  /** 95 % interval (Fay–Feuer) of the standardised rate. */
  readonly standardisedLower?: number | null;
  readonly standardisedUpper?: number | null;
  /** Expected count (excess mortality), when the indicator has one. */
  readonly expected?: number | null;
  /** Observed − expected, with its 95 % band (excess mortality). */
  readonly excess?: number | null;
  readonly excessLower?: number | null;
  readonly excessUpper?: number | null;
}

/** One detection result kept. */
export interface AlertRecord {
  readonly indicator: string;
  readonly level: Level;
  readonly area: string;
  /** The ISO week tested. */
  readonly period: string;
  readonly algorithm: string;
  readonly observed: number;
  readonly expected: number | null;
  readonly threshold: number | null;
  readonly pValue: number | null;
  readonly alarm: boolean;
}

/** A recorded run. */
export interface SurveillanceRun {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: 'running' | 'completed' | 'failed';
  readonly error: string | null;
}

const INDICATOR = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

function checkIndicator(indicator: string): string {
  if (!INDICATOR.test(indicator)) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      'an indicator id is lower-case letters, digits, _ . -',
      {
        argument: 'indicator',
      },
    );
  }
  return indicator;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The surveillance tables of one warehouse. */
export class SurveillanceStore {
  constructor(
    private readonly warehouse: WarehouseEngine,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private p(n: number): string {
    return this.warehouse.dialect.placeholder(n);
  }

  /** Records the start of a run; returns its id. */
  async startRun(trigger: RunTrigger): Promise<string> {
    const runId = randomUUID();
    await this.warehouse.execute(
      `INSERT INTO hygie_surveillance_run (run_id, trigger, started_at, status)
       VALUES (${this.p(1)}, ${this.p(2)}, CAST(${this.p(3)} AS TIMESTAMP), 'running')`,
      [runId, trigger, this.clock().toISOString()],
    );
    return runId;
  }

  /** Records the end of a run (`error`: a stable code, never a value). */
  async finishRun(runId: string, outcome: { error?: string } = {}): Promise<void> {
    await this.warehouse.execute(
      `UPDATE hygie_surveillance_run SET finished_at = CAST(${this.p(1)} AS TIMESTAMP),
         status = ${this.p(2)}, error = ${this.p(3)} WHERE run_id = ${this.p(4)}`,
      [
        this.clock().toISOString(),
        outcome.error === undefined ? 'completed' : 'failed',
        outcome.error ?? null,
        runId,
      ],
    );
  }

  /** Runs, most recent first. */
  async runs(limit = 20): Promise<SurveillanceRun[]> {
    const rows = await this.warehouse.query<Record<string, unknown>>(
      `SELECT run_id, trigger, CAST(started_at AS VARCHAR) AS started_at,
         CAST(finished_at AS VARCHAR) AS finished_at, status, error
       FROM hygie_surveillance_run ORDER BY started_at DESC, run_id LIMIT ${Math.max(1, Math.min(1000, Math.trunc(limit)))}`,
    );
    return rows.map((r) => ({
      runId: String(r['run_id']),
      trigger: String(r['trigger']) as RunTrigger,
      startedAt: String(r['started_at']),
      finishedAt: r['finished_at'] === null ? null : String(r['finished_at']),
      status: String(r['status']) as SurveillanceRun['status'],
      error: r['error'] === null ? null : String(r['error']),
    }));
  }

  /** Replaces every value of `indicator` by `values`, in one transaction. */
  async replaceSeries(
    runId: string,
    indicator: string,
    values: readonly SeriesValue[],
  ): Promise<void> {
    checkIndicator(indicator);
    await this.warehouse.transaction(async (tx) => {
      await tx.execute(`DELETE FROM hygie_surveillance_value WHERE indicator = ${this.p(1)}`, [
        indicator,
      ]);
      if (values.length === 0) return;
      await tx.appendRows(
        'hygie_surveillance_value',
        [
          'indicator',
          'level',
          'area',
          'unit',
          'period',
          'cases',
          'population',
          'rate',
          'rate_lower',
          'rate_upper',
          'standardised_rate',
          'standardised_lower',
          'standardised_upper',
          'run_id',
          'expected',
          'excess',
          'excess_lower',
          'excess_upper',
        ],
        values.map((v) => [
          indicator,
          v.level,
          v.area,
          v.unit,
          v.period,
          v.cases,
          v.population,
          v.rate,
          v.rateLower,
          v.rateUpper,
          v.standardisedRate,
          v.standardisedLower ?? null,
          v.standardisedUpper ?? null,
          runId,
          v.expected ?? null,
          v.excess ?? null,
          v.excessLower ?? null,
          v.excessUpper ?? null,
        ]),
      );
    });
  }

  /** A series: one indicator, level and unit, optionally one area and a period range (inclusive). */
  async series(filter: {
    indicator: string;
    level: Level;
    unit: Unit;
    area?: string;
    from?: string;
    to?: string;
  }): Promise<(SeriesValue & { indicator: string })[]> {
    const params = new SqlParams(this.warehouse.dialect);
    const where = [
      `indicator = ${params.add(checkIndicator(filter.indicator))}`,
      `level = ${params.add(filter.level)}`,
      `unit = ${params.add(filter.unit)}`,
    ];
    if (filter.area !== undefined) where.push(`area = ${params.add(filter.area)}`);
    if (filter.from !== undefined) where.push(`period >= ${params.add(filter.from)}`);
    if (filter.to !== undefined) where.push(`period <= ${params.add(filter.to)}`);
    const rows = await this.warehouse.query<Record<string, unknown>>(
      `SELECT indicator, level, area, unit, period, cases, population, rate, rate_lower,
         rate_upper, standardised_rate, standardised_lower, standardised_upper, expected, excess,
         excess_lower, excess_upper
       FROM hygie_surveillance_value WHERE ${where.join(' AND ')}
       ORDER BY area, period`,
      params.values,
    );
    return rows.map((r) => ({
      indicator: String(r['indicator']),
      level: String(r['level']) as Level,
      area: String(r['area']),
      unit: String(r['unit']) as Unit,
      period: String(r['period']),
      cases: Number(r['cases']),
      population: num(r['population']),
      rate: num(r['rate']),
      rateLower: num(r['rate_lower']),
      rateUpper: num(r['rate_upper']),
      standardisedRate: num(r['standardised_rate']),
      standardisedLower: num(r['standardised_lower']),
      standardisedUpper: num(r['standardised_upper']),
      expected: num(r['expected']),
      excess: num(r['excess']),
      excessLower: num(r['excess_lower']),
      excessUpper: num(r['excess_upper']),
    }));
  }

  /** Appends detection results of a run. */
  async recordAlerts(runId: string, alerts: readonly AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    const at = this.clock().toISOString();
    await this.warehouse.transaction(async (tx) => {
      const [row] = await tx.query<{ m: number | bigint | null }>(
        'SELECT MAX(alert_id) AS m FROM hygie_surveillance_alert',
      );
      let next = Number(row?.m ?? 0) + 1;
      await tx.appendRows(
        'hygie_surveillance_alert',
        [
          'alert_id',
          'run_id',
          'indicator',
          'level',
          'area',
          'period',
          'algorithm',
          'observed',
          'expected',
          'threshold',
          'p_value',
          'alarm',
          'computed_at',
        ],
        alerts.map((a) => [
          next++,
          runId,
          checkIndicator(a.indicator),
          a.level,
          a.area,
          a.period,
          a.algorithm,
          a.observed,
          a.expected,
          a.threshold,
          a.pValue,
          a.alarm,
          at,
        ]),
      );
    });
  }

  /** Detection results, newest period first: alarms only unless `all`. */
  async alerts(
    filter: {
      /** One run's results (default: every run). */
      runId?: string;
      indicator?: string;
      level?: Level;
      area?: string;
      from?: string;
      /** One week's results (`latest`: the run's latest week). */
      period?: string;
      all?: boolean;
      limit?: number;
    } = {},
  ): Promise<(AlertRecord & { runId: string; computedAt: string })[]> {
    const params = new SqlParams(this.warehouse.dialect);
    const where: string[] = [];
    if (filter.runId !== undefined) where.push(`run_id = ${params.add(filter.runId)}`);
    if (filter.indicator !== undefined) {
      where.push(`indicator = ${params.add(checkIndicator(filter.indicator))}`);
    }
    if (filter.level !== undefined) where.push(`level = ${params.add(filter.level)}`);
    if (filter.area !== undefined) where.push(`area = ${params.add(filter.area)}`);
    if (filter.from !== undefined) where.push(`period >= ${params.add(filter.from)}`);
    if (filter.period === 'latest') {
      // The run's latest week: the week every area was tested at (earlier weeks hold alarms only).
      const scope = filter.runId !== undefined ? `WHERE run_id = ${params.add(filter.runId)}` : '';
      where.push(`period = (SELECT max(period) FROM hygie_surveillance_alert ${scope})`);
    } else if (filter.period !== undefined) {
      where.push(`period = ${params.add(filter.period)}`);
    }
    if (filter.all !== true) where.push('alarm');
    const limit = Math.max(1, Math.min(10_000, Math.trunc(filter.limit ?? 1000)));
    const rows = await this.warehouse.query<Record<string, unknown>>(
      `SELECT run_id, indicator, level, area, period, algorithm, observed, expected, threshold,
         p_value, alarm, CAST(computed_at AS VARCHAR) AS computed_at
       FROM hygie_surveillance_alert
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY period DESC, indicator, level, area, algorithm, alert_id DESC
       LIMIT ${limit}`,
      params.values,
    );
    return rows.map((r) => ({
      runId: String(r['run_id']),
      indicator: String(r['indicator']),
      level: String(r['level']) as Level,
      area: String(r['area']),
      period: String(r['period']),
      algorithm: String(r['algorithm']),
      observed: Number(r['observed']),
      expected: num(r['expected']),
      threshold: num(r['threshold']),
      pValue: num(r['p_value']),
      alarm: r['alarm'] === true || Number(r['alarm']) === 1,
      computedAt: String(r['computed_at']),
    }));
  }
}
