/**
 * The permit-scoped data access object: decided and audited by the permit before any SQL runs,
 * reads only the permitted population, records each read (allow, or error on failure).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HygieError } from '@hygie/core';
import type { AccessRequest, ErrorCode } from '@hygie/core';
import { actorOf } from '@hygie/governance';
import type { Permit } from '@hygie/governance';
import type { WarehouseEngine } from '@hygie/warehouse';
import {
  openPermitDataAccess,
  populationCountRequest,
  suppressSmallCount,
} from '../src/data-access/permit-data-access.js';
import { compilePopulation } from '../src/data-access/population-sql.js';
import type { Principal } from '../src/index.js';
import {
  FEMALE,
  MALE,
  PERIOD,
  contentWith,
  insertPersons,
  issuePermit,
  permitCast,
  seedReference,
} from './data-fixture.js';
import type { PermitCast } from './data-fixture.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;
let cast: PermitCast;
let permit: Permit;
let researcher: Principal;

const REQUEST: AccessRequest = {
  kind: 'aggregate',
  data: [{ table: 'person', variables: ['person_id'] }],
  period: PERIOD,
};

before(async () => {
  t = await testApp();
  await seedReference(t.warehouse);
  await insertPersons(t.warehouse, [
    { id: 101n, gender: FEMALE, year: 1970, month: 3, location: 1 },
    { id: 102n, gender: MALE, year: 1971, month: null, location: 1 },
    { id: 103n, gender: FEMALE, year: 1980, month: 5, location: 2 },
    { id: 104n, gender: MALE, year: 1990, month: 1, location: 4 },
  ]);
  cast = await permitCast(t.store, t.users.researcher);
  permit = await issuePermit(t.store, cast, contentWith({ departements: ['75', '69'] }));
  researcher = {
    userId: t.users.researcher.id,
    actorId: t.users.researcher.id,
    roles: ['researcher'],
    via: 'api-token',
    sessionId: 'test',
  };
});
after(async () => {
  await t.close();
});

/** A warehouse that counts (or fails) the statements it is given. */
function watched(fail = false): { warehouse: WarehouseEngine; statements: string[] } {
  const statements: string[] = [];
  const warehouse = new Proxy(t.warehouse, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'execute') {
        return async (sql: string, params?: readonly unknown[]) => {
          statements.push(sql);
          if (fail) throw new HygieError('HYG_WAREHOUSE_ERROR', 'the engine failed');
          return prop === 'query'
            ? target.query(sql, params as never)
            : target.execute(sql, params as never);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { warehouse, statements };
}

function refusedWith(code: ErrorCode, reason?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof HygieError, String(e));
    assert.equal(e.code, code, e.message);
    if (reason !== undefined) assert.equal(e.details.reason, reason);
    return true;
  };
}

async function lastEvents(n: number) {
  return (await t.store.audit.list({ limit: 10_000 })).slice(-n);
}

test('a member reads the count of the permitted population; the decision and the read are audited', async () => {
  const before = await t.store.audit.count({ action: 'data.access' });
  const access = await openPermitDataAccess({
    store: t.store,
    warehouse: t.warehouse,
    optOutMirror: t.deps.optOutMirror,
    principal: researcher,
    permitId: permit.id,
    request: REQUEST,
  });
  assert.equal(access.permitId, permit.id);
  assert.deepEqual(access.scope, permit.scope);
  assert.equal(access.minCellSize, permit.minCellSize);
  assert.equal(await access.countPersons(), 3);
  const [decided, read] = await lastEvents(2);
  assert.equal(await t.store.audit.count({ action: 'data.access' }), before + 2);
  assert.equal(decided?.decision, 'allow');
  assert.equal(decided?.permitId, permit.id);
  assert.equal(decided?.actorId, t.users.researcher.id);
  assert.equal(decided?.details.tables, 'person');
  assert.equal(read?.action, 'data.access');
  assert.equal(read?.decision, 'allow');
  assert.equal(read?.actorId, t.users.researcher.id);
  assert.equal(read?.actorRole, 'researcher');
  assert.deepEqual(read?.details, { operation: 'count_persons', result: 'count', rows: 1 });
});

test('populationSql is the compiled population of the permit (opt-outs excluded), ready as a CTE', async () => {
  const access = await openPermitDataAccess({
    store: t.store,
    warehouse: t.warehouse,
    optOutMirror: t.deps.optOutMirror,
    principal: researcher,
    permitId: permit.id,
    request: REQUEST,
  });
  const expected = compilePopulation(
    { filters: permit.scope.population, period: permit.scope.period, purpose: 'research' },
    t.warehouse.dialect,
    { firstParam: 3 },
  );
  assert.deepEqual(access.populationSql({ firstParam: 3 }), expected);
  assert.match(access.populationSql().sql, /hygie_opt_out/);
});

test('a table or variable outside the scope is refused and audited before any SQL runs', async () => {
  const { warehouse, statements } = watched();
  const cases: [AccessRequest, string][] = [
    [
      { ...REQUEST, data: [{ table: 'drug_exposure', variables: ['person_id'] }] },
      'table-not-allowed',
    ],
    [
      { ...REQUEST, data: [{ table: 'person', variables: ['location_id'] }] },
      'variable-not-allowed',
    ],
    [{ ...REQUEST, period: { from: '2019-01-01', to: '2020-12-31' } }, 'period-outside'],
    [{ ...REQUEST, kind: 'row_level' }, 'access-mode-not-allowed'],
  ];
  for (const [request, reason] of cases) {
    await assert.rejects(
      openPermitDataAccess({
        store: t.store,
        warehouse,
        optOutMirror: t.deps.optOutMirror,
        principal: researcher,
        permitId: permit.id,
        request,
      }),
      refusedWith('HYG_FORBIDDEN', reason),
    );
    const [event] = await lastEvents(1);
    assert.equal(event?.action, 'data.access');
    assert.equal(event?.decision, 'deny');
    assert.equal(event?.reason, reason);
    assert.equal(event?.permitId, permit.id);
  }
  assert.deepEqual(statements, []);
});

test('a researcher outside the project, and an unknown permit, are refused and audited', async () => {
  const outsider = await t.store.users.create(actorOf(t.users.admin), {
    login: 'outsider',
    displayName: 'Outsider',
    roles: ['researcher'],
  });
  const principal: Principal = { ...researcher, userId: outsider.id, actorId: outsider.id };
  await assert.rejects(
    openPermitDataAccess({
      store: t.store,
      warehouse: t.warehouse,
      optOutMirror: t.deps.optOutMirror,
      principal,
      permitId: permit.id,
      request: REQUEST,
    }),
    refusedWith('HYG_FORBIDDEN', 'not-a-project-member'),
  );
  let [event] = await lastEvents(1);
  assert.equal(event?.decision, 'deny');
  assert.equal(event?.actorId, outsider.id);
  assert.equal(event?.reason, 'not-a-project-member');
  const unknown = '00000000-0000-4000-8000-000000000001';
  await assert.rejects(
    openPermitDataAccess({
      store: t.store,
      warehouse: t.warehouse,
      optOutMirror: t.deps.optOutMirror,
      principal: researcher,
      permitId: unknown,
      request: REQUEST,
    }),
    refusedWith('HYG_NOT_FOUND'),
  );
  [event] = await lastEvents(1);
  assert.equal(event?.decision, 'deny');
  assert.equal(event?.permitId, unknown);
});

test('suspended, revoked and expired permits are refused and audited', async () => {
  const reviewer = cast.reviewers[0];
  const suspended = await issuePermit(t.store, cast, contentWith({}), 'Suspended study');
  await t.store.permits.suspend(reviewer, suspended.id, 'inquiry');
  const revoked = await issuePermit(t.store, cast, contentWith({}), 'Revoked study');
  await t.store.permits.revoke(reviewer, revoked.id, 'misuse');
  const expiring = await issuePermit(t.store, cast, contentWith({}), 'Expired study');
  const open = (permitId: string) =>
    openPermitDataAccess({
      store: t.store,
      warehouse: t.warehouse,
      optOutMirror: t.deps.optOutMirror,
      principal: researcher,
      permitId,
      request: REQUEST,
    });
  await assert.rejects(open(suspended.id), refusedWith('HYG_PERMIT_SUSPENDED', 'permit-suspended'));
  assert.equal((await lastEvents(1))[0]?.reason, 'permit-suspended');
  await assert.rejects(open(revoked.id), refusedWith('HYG_PERMIT_REVOKED', 'permit-revoked'));
  assert.equal((await lastEvents(1))[0]?.reason, 'permit-revoked');
  // Usable until its expiry instant, refused from then on.
  const untilExpiry = Date.parse(expiring.expiresAt) - t.clock.t;
  t.clock.advance(untilExpiry - 1);
  await (await open(expiring.id)).countPersons();
  t.clock.advance(1);
  await assert.rejects(open(expiring.id), refusedWith('HYG_PERMIT_EXPIRED', 'permit-expired'));
  const [event] = await lastEvents(1);
  assert.equal(event?.decision, 'deny');
  assert.equal(event?.permitId, expiring.id);
  // Every permit issued in this file is now past its date: the remaining tests issue their own.
});

test('a failed read is recorded as an error and the failure passes through', async () => {
  const fresh = await issuePermit(t.store, cast, contentWith({}), 'Failing study');
  const { warehouse } = watched(true);
  const access = await openPermitDataAccess({
    store: t.store,
    warehouse,
    optOutMirror: t.deps.optOutMirror,
    principal: researcher,
    permitId: fresh.id,
    request: REQUEST,
  });
  await assert.rejects(access.countPersons(), refusedWith('HYG_WAREHOUSE_ERROR'));
  const [event] = await lastEvents(1);
  assert.equal(event?.action, 'data.access');
  assert.equal(event?.decision, 'error');
  assert.equal(event?.reason, 'HYG_WAREHOUSE_ERROR');
  assert.equal(event?.permitId, fresh.id);
  assert.deepEqual(event?.details, { operation: 'count_persons' });
});

test('primary suppression withholds counts below the minimum cell size, zero included', () => {
  assert.deepEqual(suppressSmallCount(0, 10), { count: null, suppressed: true });
  assert.deepEqual(suppressSmallCount(9, 10), { count: null, suppressed: true });
  assert.deepEqual(suppressSmallCount(10, 10), { count: 10, suppressed: false });
});

test('the count request reads person_id of a scope table, person first', () => {
  assert.deepEqual(populationCountRequest(permit.scope), REQUEST);
  const noPerson = {
    ...permit.scope,
    data: [{ table: 'condition_occurrence', variables: ['person_id', 'condition_concept_id'] }],
  };
  assert.deepEqual(populationCountRequest(noPerson).data, [
    { table: 'condition_occurrence', variables: ['person_id'] },
  ]);
  assert.deepEqual(populationCountRequest(null).data, [
    { table: 'person', variables: ['person_id'] },
  ]);
});
