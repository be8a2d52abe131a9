/**
 * Noise for a whole table. Each measure is a series (a vector over the table's positions); the
 * release's ε (and δ) is split evenly over the series — a mean counts twice, its sum and its
 * count — and the shares add up to the whole by sequential composition. Within one series, a
 * person moves at most (grouping sets × maxCellsPerPerson) cells, which is the sensitivity's
 * multiplier (`dp-sensitivity.ts`).
 *
 * Post-processing, free of privacy cost: counts are rounded to whole numbers and floored at zero;
 * means are clamped to their bounds. Exact `persons` are never released next to noisy values.
 * Margins are noised on their own, so they do not add up exactly.
 *
 * Rates and quantiles are refused: a rate's denominator is often counted from the same persons,
 * and a quantile needs its own mechanism. Release numerator and denominator as counts instead.
 */
import { HygieError } from '../errors.js';
import type { AggregateTable, MeasureSpec } from './aggregate-table.js';
import type { DpPolicy } from './disclosure-policy.js';
import { addNoise, noiseScale, snappingGrid } from './dp-mechanisms.js';
import type { NoiseParameters, Sensitivity } from './dp-mechanisms.js';
import type { RandomSource } from './dp-random.js';
import { countSensitivity, eventCountSensitivity, sumSensitivity } from './dp-sensitivity.js';
import type { ReleasedCell, ReleasedTable } from './released-table.js';

/** What the report says about one noised series (no data, only parameters). */
export interface NoiseSeriesReport {
  readonly measure: string;
  /** `value` for counts and sums; `sum` and `count` for the two halves of a mean. */
  readonly part: 'value' | 'sum' | 'count';
  readonly epsilon: number;
  readonly delta: number;
  /** The sensitivity used: L1 for Laplace, L2 for Gaussian. */
  readonly sensitivity: number;
  /** b (Laplace) or σ (Gaussian). */
  readonly scale: number;
  /** The snapping grid Λ. */
  readonly grid: number;
}

function refuse(measure: string, message: string): HygieError {
  return new HygieError('HYG_INVALID_ARGUMENT', `measure ${measure}: ${message}`, {
    argument: 'measures',
    measure,
  });
}

/** The noised parts of a measure and the per-cell sensitivity of each. */
function partsOf(
  spec: MeasureSpec,
  maxCells: number,
): { part: NoiseSeriesReport['part']; s: Sensitivity }[] {
  switch (spec.statistic) {
    case 'count':
      return [{ part: 'value', s: countSensitivity(maxCells) }];
    case 'event_count':
      if (spec.maxPerPerson === undefined) throw refuse(spec.name, 'noise needs maxPerPerson');
      return [{ part: 'value', s: eventCountSensitivity(maxCells, spec.maxPerPerson) }];
    case 'sum':
      if (!spec.clamp) throw refuse(spec.name, 'noise needs clamping bounds');
      return [{ part: 'value', s: sumSensitivity(maxCells, spec.clamp) }];
    case 'mean':
      if (!spec.clamp) throw refuse(spec.name, 'noise needs clamping bounds');
      return [
        { part: 'sum', s: sumSensitivity(maxCells, spec.clamp) },
        { part: 'count', s: countSensitivity(maxCells) },
      ];
    default:
      throw refuse(spec.name, `no noise mechanism for a ${spec.statistic}; release counts instead`);
  }
}

/**
 * Adds noise to the released cells of `released` (withheld cells stay null), `source` being the
 * table before control (for exact values of means: sum = mean × persons). Returns the noisy
 * table and one report line per noised series.
 */
export function noiseReleasedTable(
  released: ReleasedTable,
  source: AggregateTable,
  dp: DpPolicy,
  random: RandomSource,
): { table: ReleasedTable; series: NoiseSeriesReport[] } {
  const maxCells = (1 + source.margins.length) * dp.maxCellsPerPerson;
  const noised = new Set(released.cells.filter((c) => !c.suppressed).map((c) => c.measure));
  const measures = source.measures.filter((m) => noised.has(m.name));
  const plan = measures.map((spec) => ({ spec, parts: partsOf(spec, maxCells) }));
  const shares = plan.reduce((n, p) => n + p.parts.length, 0);
  const parameters: NoiseParameters =
    dp.mechanism === 'laplace'
      ? { mechanism: 'laplace', epsilon: dp.epsilon / shares }
      : { mechanism: 'gaussian', epsilon: dp.epsilon / shares, delta: (dp.delta ?? 0) / shares };

  const series: NoiseSeriesReport[] = [];
  const scales = new Map<string, number>();
  for (const { spec, parts } of plan) {
    for (const { part, s } of parts) {
      const scale = noiseScale(s, parameters);
      scales.set(`${spec.name}/${part}`, scale);
      series.push({
        measure: spec.name,
        part,
        epsilon: parameters.epsilon,
        delta: parameters.mechanism === 'gaussian' ? parameters.delta : 0,
        sensitivity: parameters.mechanism === 'laplace' ? s.l1 : s.l2,
        scale,
        grid: snappingGrid(scale),
      });
    }
  }

  const specs = new Map(measures.map((m) => [m.name, m]));
  const noise = (measure: string, part: string, value: number): number =>
    addNoise(value, parameters.mechanism, scales.get(`${measure}/${part}`) as number, random).value;

  const cells = released.cells.map((cell, i): ReleasedCell => {
    if (cell.suppressed) return cell;
    const spec = specs.get(cell.measure) as MeasureSpec;
    const exact = source.cells[i];
    if (!exact) throw new HygieError('HYG_INTERNAL', 'released table does not match its source');
    if (spec.statistic === 'mean') {
      const clamp = spec.clamp as { lower: number; upper: number };
      const sum = noise(spec.name, 'sum', (exact.value ?? 0) * exact.persons);
      const count = noise(spec.name, 'count', exact.persons);
      const mean = Math.min(clamp.upper, Math.max(clamp.lower, sum / Math.max(1, count)));
      return { ...cell, value: mean, persons: null };
    }
    const value = noise(spec.name, 'value', exact.value ?? 0);
    const isCount = spec.statistic === 'count' || spec.statistic === 'event_count';
    return { ...cell, value: isCount ? Math.max(0, Math.round(value)) : value, persons: null };
  });
  return { table: { ...released, cells }, series };
}
