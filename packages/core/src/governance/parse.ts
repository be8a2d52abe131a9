/**
 * Boundary parsing for the governance domain: a zod failure becomes one `HygieError` that names
 * the offending field and the rule, never the value (a value could be anything a caller typed).
 */
import type { z } from 'zod';
import { HygieError } from '../errors.js';

/** Parses `raw` with `schema`; throws `HYG_INVALID_ARGUMENT` naming the first bad field. */
export function parseGovernanceInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  what: string,
): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : what;
  throw new HygieError(
    'HYG_INVALID_ARGUMENT',
    `${what}: ${field}: ${issue?.message ?? 'invalid'}`,
    {
      argument: field,
      what,
    },
  );
}
