/**
 * What an application asks for: data, period, population, duration, access mode and privacy
 * budget. On approval it becomes a permit scope (`scopeFromApplication`).
 */
import { z } from 'zod';
import {
  DEFAULT_MIN_CELL_SIZE,
  PERMIT_SCOPE_VERSION,
  accessModeSchema,
  dataRequestSchema,
  epsilonSchema,
  periodSchema,
  permitScopeSchema,
  populationFiltersSchema,
} from './permit-scope.js';
import type { PermitScope } from './permit-scope.js';

/** Longest permit an application may request, in months. */
export const MAX_DURATION_MONTHS = 120;

/** The zod schema of an application's content. */
export const applicationContentSchema = z
  .strictObject({
    data: dataRequestSchema,
    population: populationFiltersSchema.default({}),
    period: periodSchema,
    durationMonths: z.number().int().min(1).max(MAX_DURATION_MONTHS),
    accessMode: accessModeSchema,
    /** Why this access mode: required for a row-level workspace, optional for aggregates. */
    justification: z.string().trim().max(10_000).default(''),
    requestedEpsilon: epsilonSchema,
  })
  .refine((c) => c.accessMode !== 'workspace' || c.justification.length > 0, {
    message: 'a row-level workspace needs a justification',
    path: ['justification'],
  });

/** Content of an application. */
export type ApplicationContent = z.output<typeof applicationContentSchema>;

/** Content of an application as a caller writes it (defaults not yet applied). */
export type ApplicationContentInput = z.input<typeof applicationContentSchema>;

/**
 * `instant` plus whole calendar months, in UTC; a day that does not exist in the target month
 * becomes the month's last day (31 January + 1 month = 28 or 29 February).
 */
export function addMonthsUtc(instant: Date, months: number): Date {
  const d = new Date(instant.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/**
 * The scope of the permit that approving `content` issues: the requested data, period,
 * population, access mode and ε, valid from `validFrom` for `durationMonths`.
 */
export function scopeFromApplication(
  content: ApplicationContent,
  options: { validFrom: Date; minCellSize?: number },
): PermitScope {
  return permitScopeSchema.parse({
    scopeVersion: PERMIT_SCOPE_VERSION,
    data: content.data,
    period: content.period,
    population: content.population,
    accessMode: content.accessMode,
    validFrom: options.validFrom.toISOString(),
    expiresAt: addMonthsUtc(options.validFrom, content.durationMonths).toISOString(),
    epsilonBudget: content.requestedEpsilon,
    minCellSize: options.minCellSize ?? DEFAULT_MIN_CELL_SIZE,
  });
}
