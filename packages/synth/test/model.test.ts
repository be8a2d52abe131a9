/**
 * The generator's model, tested without writing files: chronic-condition prevalences of the French
 * order of magnitude, NIR collision resolution, option validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHygieError } from '@hygie/core';
import { LifeGenerator, buildWorld, drawIdentity, parseSynthOptions } from '../src/index.js';
import { resolveNirCollisions } from '../src/nir-uniqueness.js';

test('chronic-condition prevalences at the start of the period are of the French order of magnitude', () => {
  const world = buildWorld(
    parseSynthOptions({
      persons: 20_000,
      from: 2019,
      to: 2024,
      seed: 'model',
      out: '/unused',
      format: 'snds',
    }),
  );
  const life = new LifeGenerator(world);
  const counts = new Map<string, number>();
  let adults = 0;
  let old = 0;
  let hypertensiveOld = 0;
  for (let i = 0; i < 20_000; i++) {
    const id = drawIdentity(world, i);
    const rec = life.generate(id);
    const age = (world.startDay - id.birthDay) / 365.25;
    if (age >= 18) adults++;
    const active = rec.conditions.filter(
      (c) => c.onset <= world.startDay && (c.end === null || c.end >= world.startDay),
    );
    for (const c of active) if (age >= 18) counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
    if (age >= 65 && age < 75) {
      old++;
      if (active.some((c) => c.id === 'hypertension')) hypertensiveOld++;
    }
  }
  const share = (id: string): number => (counts.get(id) ?? 0) / adults;
  // Treated type 2 diabetes ~6–7 % of adults; asthma ~5–6 %; heart failure ~2 %; depression episodes a few %.
  assert.ok(
    share('diabetes_t2') > 0.04 && share('diabetes_t2') < 0.1,
    `diabetes ${share('diabetes_t2')}`,
  );
  assert.ok(share('asthma') > 0.03 && share('asthma') < 0.09, `asthma ${share('asthma')}`);
  assert.ok(
    share('heart_failure') > 0.005 && share('heart_failure') < 0.035,
    `heart failure ${share('heart_failure')}`,
  );
  assert.ok(
    share('depression') > 0.01 && share('depression') < 0.1,
    `depression ${share('depression')}`,
  );
  const htn = hypertensiveOld / old;
  assert.ok(htn > 0.25 && htn < 0.5, `hypertension at 65–74: ${htn}`);
});

test('NIR collisions are resolved by the next free order number, the first holder keeps its NIR', () => {
  // Bodies 1 85 01 75 115 042 (twice), 1 85 01 75 115 043 (taken), and another cell.
  const a = 1850175115042;
  const keys = Float64Array.from([a, 1850175115043, a, 2990113055001, a]);
  const overrides = resolveNirCollisions(keys);
  assert.deepEqual(
    [...overrides.entries()],
    [
      [2, 44],
      [4, 45],
    ],
  );
  assert.equal(resolveNirCollisions(Float64Array.from([1, 2, 3])).size, 0);
});

test('bad options name the offending argument', () => {
  const base = { persons: 10, from: 2019, to: 2024, seed: 's', out: '/tmp/x', format: 'snds' };
  const argumentOf = (raw: unknown): string | undefined => {
    try {
      parseSynthOptions(raw);
      return undefined;
    } catch (e) {
      assert.ok(isHygieError(e, 'HYG_INVALID_ARGUMENT'));
      return String(e.details.argument);
    }
  };
  assert.equal(argumentOf({ ...base, persons: 0 }), 'persons');
  assert.equal(argumentOf({ ...base, format: 'csv' }), 'format');
  assert.equal(argumentOf({ ...base, to: 2018 }), 'to');
  assert.equal(argumentOf(base), undefined);
});
