import { HygieError } from '@hygie/core';

/**
 * One monitored time point. `null` stands for R's `NA` (e.g. a Farrington threshold withheld by
 * the `limit54` rule); `NaN` never leaves the API except in `statistic`, where R itself computes
 * 0/0 (a constant baseline with `minSigma = 0`).
 */
export interface DetectionResult {
  /** 0-based index of the time point in the input series. */
  readonly index: number;
  /** The count observed at that time point. */
  readonly observed: number;
  /** The expected count μ̂ (baseline mean, CUSUM reference m, or Farrington μ̂₀); null if R gives NA. */
  readonly expected: number | null;
  /** The upper threshold (R's `upperbound`); null if R gives NA. */
  readonly threshold: number | null;
  /** True when the algorithm (as R decides it) raises an alarm; R's NA alarm is false. */
  readonly alarm: boolean;
  /** Farrington flexible: the probability R reports in `control$pvalue`. */
  readonly pValue?: number | null;
  /** EARS: the C1/C2/C3 statistic; CUSUM: the cumulative sum S_t; Farrington: R's `score`. */
  readonly statistic?: number | null;
}

/** Refuses anything that is not a finite, non-negative count series of at least `minLength`. */
export function checkSeries(series: readonly number[], minLength: number, what: string): void {
  if (!Array.isArray(series)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `${what}: the series must be an array of counts`);
  }
  if (series.length < minLength) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `${what}: the series is too short`, {
      length: series.length,
      minimumLength: minLength,
    });
  }
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new HygieError(
        'HYG_INVALID_ARGUMENT',
        `${what}: counts must be finite and non-negative`,
        {
          index: i,
        },
      );
    }
  }
}

/** Refuses an option that is not a number in the given range. */
export function checkNumber(value: number, name: string, ok: (v: number) => boolean): void {
  if (typeof value !== 'number' || Number.isNaN(value) || !ok(value)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `invalid option ${name}`, { option: name });
  }
}

/** Finite numbers pass, NaN (R's NA) becomes null. */
export const naToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Sample mean and standard deviation (n − 1 denominator, as R's `sd`). */
export function meanSd(
  values: readonly number[],
  from: number,
  to: number,
): { mean: number; sd: number } {
  const n = to - from;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = from; i < to; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  return { mean, sd: Math.sqrt(ss / (n - 1)) };
}
