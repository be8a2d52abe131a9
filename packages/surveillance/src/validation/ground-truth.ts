/**
 * Reading the `ground-truth.json` that `hygie synth` writes next to its output: its `outbreaks`
 * (`{ id, syndrome, dept, region, isoWeeks, startDate, endDate, excessCases }`) as
 * {@link ValidationOutbreak}s. `epidemicWaves` (seasonal national waves) are not outbreaks and
 * are ignored. The synthesiser's syndrome ids (`influenza`, `gastroenteritis`, `covid19`,
 * `bronchiolitis`) are those of `SYNDROMES`; an id that is not is refused.
 */
import { HygieError } from '@hygie/core';
import { SYNDROMES } from '../indicators/index.js';
import type { ValidationOutbreak } from './metrics.js';

/** A ground-truth outbreak, with the fields validation reports besides the evaluated ones. */
export interface GroundTruthOutbreak extends ValidationOutbreak {
  readonly region: string | null;
  readonly excessCases: number | null;
}

function bad(message: string): never {
  throw new HygieError('HYG_INVALID_ARGUMENT', `ground truth: ${message}`, {
    argument: 'groundTruth',
  });
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The outbreaks of a parsed `ground-truth.json`. */
export function groundTruthOutbreaks(json: unknown): GroundTruthOutbreak[] {
  const outbreaks = (json as { outbreaks?: unknown } | null)?.outbreaks;
  if (!Array.isArray(outbreaks)) bad('no outbreaks array');
  return outbreaks.map((raw: unknown, i) => {
    const o = (raw ?? {}) as Record<string, unknown>;
    const { id, syndrome, dept, isoWeeks } = o;
    if (!isString(id) || !isString(syndrome) || !isString(dept)) {
      bad(`outbreak ${i}: id, syndrome and dept are required`);
    }
    if (!SYNDROMES.some((s) => s.id === syndrome))
      bad(`outbreak ${id}: unknown syndrome ${syndrome}`);
    if (!Array.isArray(isoWeeks) || isoWeeks.length === 0 || !isoWeeks.every(isString)) {
      bad(`outbreak ${id}: isoWeeks must be a non-empty array of ISO weeks`);
    }
    return {
      id,
      syndrome,
      dept,
      isoWeeks: isoWeeks as string[],
      region: isString(o['region']) ? o['region'] : null,
      excessCases: typeof o['excessCases'] === 'number' ? o['excessCases'] : null,
    };
  });
}
