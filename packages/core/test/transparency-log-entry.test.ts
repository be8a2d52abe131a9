import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  HygieError,
  assertNoPersonalData,
  encodeLogEntry,
  leafHash,
  parseLogEntry,
  pseudonymousActorId,
} from '../src/index.js';
import type { LogEntry } from '../src/index.js';

const KEY = Buffer.alloc(32, 9);
const entry: LogEntry = {
  v: 1,
  seq: 7,
  at: '2025-03-01T09:00:00.000Z',
  actorRole: 'researcher',
  actorId: pseudonymousActorId(KEY, 'user-123'),
  action: 'data.access',
  decision: 'allow',
  targetType: 'permit',
  targetId: '0b0e6a63-2f7d-4c4e-9d1b-1f2e3d4c5b6a',
  permitId: '0b0e6a63-2f7d-4c4e-9d1b-1f2e3d4c5b6a',
  queryHash: 'f'.repeat(64),
  shape: { measures: 2, strata: 'sex,year', dp: false, note: null },
};

const invalid = (e: unknown): boolean =>
  e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT';

test('the actor pseudonym is the first 16 bytes of HMAC-SHA-256(key, id), in hex', () => {
  const expected = createHmac('sha256', KEY).update('user-123').digest('hex').slice(0, 32);
  assert.equal(pseudonymousActorId(KEY, 'user-123'), expected);
  assert.notEqual(pseudonymousActorId(Buffer.alloc(32, 8), 'user-123'), expected);
  assert.throws(() => pseudonymousActorId(Buffer.alloc(8), 'user-123'), invalid);
  assert.throws(() => pseudonymousActorId(KEY, ''), invalid);
});

test('an entry encodes as RFC 8785 JSON; absent and undefined optional fields hash the same', () => {
  const bytes = encodeLogEntry(entry);
  const text = bytes.toString('utf8');
  assert.ok(text.startsWith('{"action":"data.access","actorId":"'));
  assert.ok(text.endsWith('"targetType":"permit","v":1}'));
  assert.ok(text.includes('"shape":{"dp":false,"measures":2,"note":null,"strata":"sex,year"}'));
  const minimal = {
    v: 1,
    seq: 1,
    at: entry.at,
    actorRole: 'system',
    actorId: entry.actorId,
    action: 'permit.expire',
    decision: 'allow',
  } as const;
  assert.equal(
    leafHash(encodeLogEntry({ ...minimal, targetId: undefined } as LogEntry)).toString('hex'),
    leafHash(encodeLogEntry(minimal)).toString('hex'),
  );
  assert.deepEqual(parseLogEntry(JSON.parse(text)), JSON.parse(text));
});

test('the schema is strict', () => {
  const bad: unknown[] = [
    { ...entry, v: 2 },
    { ...entry, extra: 1 },
    { ...entry, seq: 0 },
    { ...entry, seq: 1.5 },
    { ...entry, at: 'yesterday' },
    { ...entry, actorId: 'user-123' },
    { ...entry, actorId: entry.actorId.toUpperCase() },
    { ...entry, action: 'Data Access' },
    { ...entry, decision: 'maybe' },
    { ...entry, queryHash: 'abc' },
    { ...entry, targetId: null },
    { ...entry, shape: { nested: { a: 1 } } },
    { ...entry, shape: { n: Infinity } },
    { ...entry, shape: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
    null,
    [],
  ];
  for (const b of bad)
    assert.throws(() => encodeLogEntry(b as LogEntry), invalid, JSON.stringify(b));
});

test('a NIR-shaped value anywhere is refused, and the error does not repeat it', () => {
  const nirs = ['2840375123456', '2 84 03 75 123 456 78', '1.85.05.2A.123.456'];
  for (const nir of nirs) {
    const cases: unknown[] = [
      { ...entry, targetId: `person ${nir}` },
      { ...entry, permitId: nir },
      { ...entry, actorRole: `researcher ${nir}` },
      { ...entry, shape: { who: nir } },
      { ...entry, shape: { [nir]: 1 } },
    ];
    for (const c of cases) {
      assert.throws(
        () => encodeLogEntry(c as LogEntry),
        (e: unknown) =>
          invalid(e) && !JSON.stringify(e).includes(nir) && !(e as Error).message.includes(nir),
        JSON.stringify(c),
      );
    }
  }
  assert.throws(() => assertNoPersonalData({ ...entry, targetId: '2840375123456' }), invalid);
  // Hex digests are pinned by the schema and exempt: a genuine digest may hold 13 digits.
  const digesty = {
    ...entry,
    actorId: '28403751234560aa'.padEnd(32, 'b'),
    queryHash: '1850575123456'.padEnd(64, 'c'),
  };
  assert.doesNotThrow(() => encodeLogEntry(digesty));
  // Short numbers and UUIDs are fine.
  assert.doesNotThrow(() =>
    encodeLogEntry({ ...entry, targetId: '123456789012', shape: { rows: 1234567 } }),
  );
});
