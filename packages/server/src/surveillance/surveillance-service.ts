/**
 * The platform's population-health monitoring (issue #7): runs the surveillance computation
 * (`@hygie/surveillance` `runSurveillance`) one at a time, on demand and on a schedule, and
 * after ingestion.
 *
 * **When.** Every hour the service checks whether a run is due: none has completed yet, the
 * latest completed run is older than `surveillanceIntervalHours` (default 168: weekly), or a
 * batch was published in the warehouse after the latest run started (`trigger: 'ingestion'`).
 * Ingestion runs from the command line while the server is stopped (DuckDB has one writer), so
 * "after each ingestion batch" is checked at start and at every tick.
 *
 * **What.** Every syndrome, every level, the last six years of ISO weeks ending with the last
 * complete week of the data (the latest condition date in the warehouse): enough history for
 * Farrington with b = 5.
 *
 * **Audit.** Every run, scheduled or asked for, writes one `surveillance.run` event to the audit
 * trail — and so to the transparency log (DESIGN.md §4.3: every computation over the data is
 * recorded) — `allow` with what it computed, or `error` with the error code; scheduled and
 * post-ingestion runs are recorded as the `system`'s.
 */
import { HygieError, isHygieError } from '@hygie/core';
import { runSurveillance, SurveillanceStore } from '@hygie/surveillance';
import type { RunTrigger, SurveillanceRunReport } from '@hygie/surveillance';
import type { WarehouseEngine } from '@hygie/warehouse';
import type { AuditSink } from '../deps.js';

/** How often the schedule is checked. */
const CHECK_MS = 60 * 60 * 1000;

/** Years of weekly history a run computes. */
const HISTORY_YEARS = 6;

function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The period of a run: from a Monday about six years back to the last Sunday on or before the
 * latest condition date (a week still being recorded is not tested). Null without data.
 */
export async function defaultRunPeriod(
  warehouse: WarehouseEngine,
): Promise<{ from: string; to: string } | null> {
  const [row] = await warehouse.query<{ d: string | null }>(
    'SELECT CAST(MAX(condition_start_date) AS VARCHAR) AS d FROM condition_occurrence',
  );
  if (row?.d === null || row?.d === undefined) return null;
  const latest = Date.parse(`${row.d.slice(0, 10)}T00:00:00Z`);
  const day = new Date(latest).getUTCDay(); // 0 = Sunday
  const to = latest - day * 86_400_000;
  const back = to - Math.round(HISTORY_YEARS * 365.25) * 86_400_000;
  // The Monday on or after `back`: JavaScript's Sunday is 0, Monday 1.
  const backDay = new Date(back).getUTCDay();
  const from = back + ((8 - backDay) % 7) * 86_400_000;
  return { from: isoDate(from), to: isoDate(to) };
}

/** Who asked for a run, as the audit trail records it. */
export interface RunRequester {
  readonly actorRole: string | null;
  readonly actorId: string | null;
}

/** The requester of scheduled and post-ingestion runs. */
export const SYSTEM_REQUESTER: RunRequester = { actorRole: 'system', actorId: null };

/** Runs the surveillance computation one at a time, on demand and on schedule. */
export class SurveillanceService {
  readonly store: SurveillanceStore;
  private running: Promise<SurveillanceRunReport> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly warehouse: WarehouseEngine,
    private readonly intervalHours: number,
    private readonly audit: AuditSink | null = null,
    clock: () => Date = () => new Date(),
  ) {
    this.store = new SurveillanceStore(warehouse, clock);
  }

  /** Whether a run is in progress. */
  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * Runs now. Refused with `HYG_CONFLICT` while another run is in progress (one at a time: the
   * warehouse is the bottleneck), and with `HYG_NOT_FOUND` when the warehouse holds no data.
   * Recorded in the audit trail either way (see the module comment).
   */
  async run(
    trigger: RunTrigger,
    options: { syndromes?: readonly string[] } = {},
    requester: RunRequester = SYSTEM_REQUESTER,
  ): Promise<SurveillanceRunReport> {
    try {
      const report = await this.runOnce(trigger, options);
      await this.record(requester, trigger, { decision: 'allow', report });
      return report;
    } catch (e) {
      await this.record(requester, trigger, {
        decision: 'error',
        reason: isHygieError(e) ? e.code : 'HYG_INTERNAL',
      });
      throw e;
    }
  }

  private async record(
    requester: RunRequester,
    trigger: RunTrigger,
    outcome:
      { decision: 'allow'; report: SurveillanceRunReport } | { decision: 'error'; reason: string },
  ): Promise<void> {
    if (this.audit === null) return;
    await this.audit.record({
      actorRole: requester.actorRole,
      actorId: requester.actorId,
      action: 'surveillance.run',
      targetType: 'surveillance',
      targetId: outcome.decision === 'allow' ? outcome.report.runId : null,
      decision: outcome.decision,
      reason: outcome.decision === 'error' ? outcome.reason : null,
      details:
        outcome.decision === 'allow'
          ? {
              result: 'run',
              trigger,
              rows: outcome.report.values,
              measures: outcome.report.series,
              alarms: outcome.report.alarms,
            }
          : { trigger },
    });
  }

  private async runOnce(
    trigger: RunTrigger,
    options: { syndromes?: readonly string[] },
  ): Promise<SurveillanceRunReport> {
    if (this.running !== null) {
      throw new HygieError('HYG_CONFLICT', 'a surveillance run is already in progress', {
        reason: 'surveillance-run-in-progress',
      });
    }
    const go = async (): Promise<SurveillanceRunReport> => {
      const period = await defaultRunPeriod(this.warehouse);
      if (period === null) {
        throw new HygieError('HYG_NOT_FOUND', 'the warehouse holds no data to monitor');
      }
      return runSurveillance(this.warehouse, this.store, {
        trigger,
        period,
        ...(options.syndromes !== undefined ? { syndromes: options.syndromes } : {}),
      });
    };
    this.running = go();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  /** What is due now, if anything (see the module comment). */
  async due(now: Date): Promise<RunTrigger | null> {
    if (this.intervalHours <= 0) return null;
    const completed = (await this.store.runs(50)).find((r) => r.status === 'completed');
    const [batch] = await this.warehouse.query<{ t: string | null }>(
      `SELECT CAST(MAX(finished_at) AS VARCHAR) AS t FROM hygie_batch WHERE status = 'published'`,
    );
    // Never completed (or every run failed): try now; the hourly check retries a failure.
    if (completed === undefined) return 'schedule';
    if (batch?.t && batch.t > completed.startedAt) return 'ingestion';
    const age = now.getTime() - Date.parse(`${completed.startedAt.replace(' ', 'T')}Z`);
    return age >= this.intervalHours * 3_600_000 ? 'schedule' : null;
  }

  /** Checks the schedule now and every hour; failures are logged, never fatal. */
  start(log: {
    error: (obj: object, msg: string) => void;
    info: (obj: object, msg: string) => void;
  }): void {
    if (this.intervalHours <= 0 || this.timer !== null) return;
    const tick = async (): Promise<void> => {
      if (this.running !== null) return;
      try {
        const trigger = await this.due(new Date());
        if (trigger === null) return;
        const report = await this.run(trigger);
        log.info({ ...report, trigger }, 'surveillance run completed');
      } catch (err) {
        log.error({ err }, 'surveillance run failed; retrying at the next check');
      }
    };
    void tick();
    this.timer = setInterval(() => void tick(), CHECK_MS);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
