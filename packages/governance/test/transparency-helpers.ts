/** Helpers of the transparency log tests: entries, seeds, logs with heads, export copies. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pseudonymousActorId } from '@hygie/core';
import type { LogEntry } from '@hygie/core';
import { openTransparencyLog } from '../src/index.js';
import type { TransparencyLog, TransparencyLogLocation } from '../src/index.js';
import { TestClock } from './helpers.js';

/** The signing seed of the test log. */
export const SEED = Buffer.alloc(32, 0x42);
/** Another key's seed (the impostor). */
export const OTHER_SEED = Buffer.alloc(32, 0x17);
const ACTOR_KEY = Buffer.alloc(32, 0x33);

/** A plausible entry for source audit event `seq`; `variant` changes its content. */
export function entry(seq: number, variant = ''): LogEntry {
  const permit = `permit-${seq % 4}`;
  return {
    v: 1,
    seq,
    at: new Date(Date.UTC(2025, 2, 1) + seq * 1000).toISOString(),
    actorRole: seq % 5 === 0 ? 'system' : 'researcher',
    actorId: pseudonymousActorId(ACTOR_KEY, `user-${seq % 7}${variant}`),
    action: seq % 5 === 0 ? 'permit.check' : 'data.access',
    decision: seq % 11 === 0 ? 'deny' : 'allow',
    targetType: 'permit',
    targetId: permit,
    permitId: permit,
    ...(seq % 11 === 0 ? { reason: 'permit-expired' } : {}),
    queryHash: createHash('sha256').update(`query ${seq}${variant}`).digest('hex'),
    shape: { measures: seq % 3, strata: 'sex,year', dp: seq % 2 === 0 },
  };
}

/** Entries for seq from..to inclusive. */
export function entries(from: number, to: number, variant = ''): LogEntry[] {
  return Array.from({ length: to - from + 1 }, (_, i) => entry(from + i, variant));
}

/**
 * A log of `n` entries appended in batches of `every`, signed after each batch (and once more at
 * the end, same size: a daily seal).
 */
export function buildLog(
  where: TransparencyLogLocation,
  n = 200,
  every = 20,
  clock = new TestClock(),
): { log: TransparencyLog; clock: TestClock } {
  const log = openTransparencyLog(where, { signingSeed: SEED, clock: clock.now });
  for (let i = 1; i <= n; i += every) {
    log.append(entries(i, Math.min(n, i + every - 1)));
    clock.advance(60_000);
    log.sign();
  }
  clock.advance(60_000);
  log.sign();
  return { log, clock };
}

/** The export's lines. */
export function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** Writes lines as an export file. */
export function writeLines(file: string, lines: readonly string[]): void {
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
}

/** An async iterable over lines (a one-pass source). */
export async function* iterate(lines: readonly string[]): AsyncGenerator<string> {
  for (const l of lines) yield l;
}
