import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  agePyramid,
  communes,
  communeSuffix,
  departements,
  deptFromSndsCode,
  regions,
  sndsDeptCode,
} from '../src/index.js';

test('101 départements and 18 régions with INSEE populations summing to France', () => {
  const depts = departements();
  assert.equal(depts.length, 101);
  assert.equal(regions().length, 18);
  const total = depts.reduce((s, d) => s + d.population, 0);
  assert.ok(total > 66_000_000 && total < 70_000_000, `total ${total}`);
  const regionCodes = new Set(regions().map((r) => r.code));
  for (const d of depts) assert.ok(regionCodes.has(d.region), `${d.code} → ${d.region}`);
  const communeTotal = communes().reduce((s, c) => s + c.population, 0);
  assert.equal(communeTotal, total);
  // Paris appears as its 20 arrondissements, not as one commune.
  assert.equal(communes().filter((c) => c.dept === '75').length, 20);
});

test('SNDS département codes convert both ways, Corsica and overseas included', () => {
  for (const d of departements()) assert.equal(deptFromSndsCode(sndsDeptCode(d.code)), d.code);
  assert.equal(sndsDeptCode('2A'), '201');
  assert.equal(deptFromSndsCode('02B'), '2B');
  assert.equal(sndsDeptCode('01'), '001');
  assert.equal(sndsDeptCode('974'), '974');
  for (const bad of ['000', '099', '096', '999', '20', 'ABC'])
    assert.equal(deptFromSndsCode(bad), null);
  assert.equal(communeSuffix('97411'), '411');
  assert.equal(communeSuffix('2A004'), '004');
});

test('the age pyramid covers ages 0 to 104 without gaps', () => {
  const bands = agePyramid();
  assert.equal(bands[0]?.ageFrom, 0);
  for (let i = 1; i < bands.length; i++)
    assert.equal(bands[i]?.ageFrom, (bands[i - 1]?.ageTo ?? -2) + 1);
  assert.equal(bands.at(-1)?.ageTo, 104);
});
