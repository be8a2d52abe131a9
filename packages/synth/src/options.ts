/**
 * Options of a synthetic run, validated at the boundary (CLI or API) with zod.
 */
import { z } from 'zod';
import { HygieError } from '@hygie/core';

/** Output formats. */
export const SYNTH_FORMATS = ['snds', 'fhir', 'both'] as const;

/** The zod schema of synth options. */
export const synthOptionsSchema = z
  .object({
    persons: z.number().int().min(1).max(35_000_000),
    from: z.number().int().min(2000).max(2100),
    to: z.number().int().min(2000).max(2100),
    seed: z.string().min(1).max(200),
    out: z.string().min(1),
    format: z.enum(SYNTH_FORMATS),
    /** Worker threads (default: number of CPUs, at most 8); 0 generates in the calling thread. */
    workers: z.number().int().min(0).max(64).optional(),
    /**
     * Share of persons whose care is also exported as FHIR (1 = everyone). A hospital or network
     * export covers part of the population; the SNDS extract always covers everyone.
     */
    fhirShare: z.number().min(0).max(1).default(1),
    /**
     * A source key file (`hygie keys export-source-key`): when given, the extract is pseudonymised
     * at the source — every NIR becomes its 17-character source pseudonym, as a producer holding
     * `K_source` would send it.
     */
    sourceKeyFile: z.string().min(1).optional(),
    /** Persons per work unit; the output does not depend on it (each person has its own stream). */
    chunkSize: z.number().int().min(1).max(100_000).default(1000),
  })
  .refine((o) => o.to >= o.from, { message: 'must not be before --from', path: ['to'] })
  .refine((o) => o.to - o.from <= 30, {
    message: 'the period may span at most 31 years',
    path: ['to'],
  });

/** Validated synth options. */
export type SynthOptions = z.infer<typeof synthOptionsSchema>;

/** Validates raw options; throws a HygieError naming the offending argument. */
export function parseSynthOptions(raw: unknown): SynthOptions {
  const r = synthOptionsSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const arg = issue?.path.join('.') ?? 'options';
    throw new HygieError('HYG_INVALID_ARGUMENT', `--${arg}: ${issue?.message ?? 'invalid value'}`, {
      argument: arg,
    });
  }
  return r.data;
}
