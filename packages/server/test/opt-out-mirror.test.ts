/** The warehouse mirror of the opt-out register: replaced whole, flags and dates from the store. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYSTEM_ACTOR } from '@hygie/core';
import { openGovernanceStore } from '@hygie/governance';
import type { GovernanceStore } from '@hygie/governance';
import { migrate, openInMemoryWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import { syncOptOutMirror } from '../src/index.js';
import { TestClock } from './test-app.js';

async function stores(
  surveillanceExemptFromOptOut: boolean,
): Promise<{ store: GovernanceStore; warehouse: WarehouseEngine; clock: TestClock }> {
  const clock = new TestClock();
  const store = await openGovernanceStore({
    kind: 'sqlite-memory',
    clock: clock.now,
    settings: { surveillanceExemptFromOptOut },
  });
  await store.migrate();
  const warehouse = await openInMemoryWarehouse();
  await migrate(warehouse);
  return { store, warehouse, clock };
}

async function mirror(warehouse: WarehouseEngine) {
  const rows = await warehouse.query<{
    person_id: number | bigint;
    surveillance_excluded: boolean;
    since: string | null;
  }>('SELECT person_id, surveillance_excluded, since FROM hygie_opt_out ORDER BY person_id');
  return rows.map((r) => [BigInt(r.person_id), r.surveillance_excluded, r.since] as const);
}

const BIG = 9_000_000_000_000_000_000n;

test('the mirror holds exactly the active opt-outs, with their date and surveillance flag', async () => {
  const { store, warehouse, clock } = await stores(false);
  try {
    assert.deepEqual(await syncOptOutMirror(store, warehouse), {
      persons: 0,
      surveillanceExcluded: 0,
    });
    const a = await store.optOuts.optOut(SYSTEM_ACTOR, 7n);
    clock.advance(60_000);
    const b = await store.optOuts.optOut(SYSTEM_ACTOR, BIG);
    assert.deepEqual(await syncOptOutMirror(store, warehouse), {
      persons: 2,
      surveillanceExcluded: 2,
    });
    assert.deepEqual(await mirror(warehouse), [
      [7n, true, a.since],
      [BIG, true, b.since],
    ]);
    // A withdrawal leaves the mirror at the next sync.
    await store.optOuts.withdraw(SYSTEM_ACTOR, 7n);
    await syncOptOutMirror(store, warehouse);
    assert.deepEqual(await mirror(warehouse), [[BIG, true, b.since]]);
    // Withdrawn and opted out again between two syncs: `refresh` picks up the new date.
    await store.optOuts.withdraw(SYSTEM_ACTOR, BIG);
    clock.advance(60_000);
    const again = await store.optOuts.optOut(SYSTEM_ACTOR, BIG);
    await syncOptOutMirror(store, warehouse, { refresh: [BIG] });
    assert.deepEqual(await mirror(warehouse), [[BIG, true, again.since]]);
  } finally {
    await store.close();
    await warehouse.close();
  }
});

test('surveillance-exempt opt-outs are mirrored as not excluding surveillance', async () => {
  const { store, warehouse } = await stores(true);
  try {
    await store.optOuts.optOut(SYSTEM_ACTOR, 42n);
    assert.deepEqual(await syncOptOutMirror(store, warehouse), {
      persons: 1,
      surveillanceExcluded: 0,
    });
    assert.equal((await mirror(warehouse))[0]?.[1], false);
  } finally {
    await store.close();
    await warehouse.close();
  }
});

test("a sync repairs a mirror that drifted, and concurrent syncs end in the register's state", async () => {
  const { store, warehouse } = await stores(false);
  try {
    for (const id of [1n, 2n, 3n]) await store.optOuts.optOut(SYSTEM_ACTOR, id);
    // Rows nobody asked for, a wrong flag and a missing row.
    await warehouse.appendRows(
      'hygie_opt_out',
      ['person_id', 'surveillance_excluded', 'since'],
      [
        [1n, false, null],
        [99n, true, '2020-01-01T00:00:00.000Z'],
      ],
    );
    const results = await Promise.all(
      Array.from({ length: 5 }, () => syncOptOutMirror(store, warehouse)),
    );
    assert.ok(results.every((r) => r.persons === 3));
    const rows = await mirror(warehouse);
    assert.deepEqual(
      rows.map(([id, excluded]) => [id, excluded]),
      [
        [1n, true],
        [2n, true],
        [3n, true],
      ],
    );
    assert.ok(rows.every(([, , since]) => since !== null));
  } finally {
    await store.close();
    await warehouse.close();
  }
});
