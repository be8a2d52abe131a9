/**
 * Citizens over HTTP: identification by NIR + birth date, signed sessions, opt-out and its effect
 * on a permit's population count, "who used my data", and that no NIR, birth date or person id
 * reaches the audit trail or the logs.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import {
  SYSTEM_ACTOR,
  buildNir,
  encodeLogEntry,
  leafHash,
  publicKeyFromPem,
  verifyInclusion,
  verifyTreeHead,
} from '@hygie/core';
import type { LogEntry, SignedTreeHead } from '@hygie/core';
import { citizenPersonId } from '@hygie/governance';
import type { Permit } from '@hygie/governance';
import { KeyRing } from '@hygie/keys';
import { issueCitizenSession } from '../src/citizen/citizen-session.js';
import { buildApp } from '../src/index.js';
import type { HygieApp } from '../src/index.js';
import {
  FEMALE,
  MALE,
  T2D,
  T2D_COMPLICATED,
  contentWith,
  insertPersons,
  issuePermit,
  permitCast,
  seedReference,
} from './data-fixture.js';
import type { FixturePerson } from './data-fixture.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

const NIR = buildNir({
  sex: 2,
  birthYear: 1975,
  birthMonth: 4,
  placeDept: '75',
  placeCommune: '056',
  order: 123,
});
const BIRTH_DATE = '1975-04-17';
/** A second citizen whose month of birth the warehouse does not know, with a special NIR month. */
const NIR_NO_MONTH = buildNir({
  sex: 1,
  birthYear: 1980,
  birthMonth: 30,
  placeDept: '69',
  placeCommune: '123',
  order: 7,
});
/** A valid NIR of nobody in the warehouse. */
const NIR_UNKNOWN = buildNir({
  sex: 2,
  birthYear: 1975,
  birthMonth: 4,
  placeDept: '75',
  placeCommune: '056',
  order: 124,
});

let t: TestApp;
let app: HygieApp;
const logLines: string[] = [];
let personId: bigint;
let permits: Record<'paris' | 'lyon' | 'women' | 'men' | 'diabetes' | 'revoked', Permit>;
/** Distinct client addresses, so that the attempt limiter of one test does not touch another. */
let nextClient = 1;
const client = (): string => `192.0.2.${nextClient++}`;

before(async () => {
  t = await testApp();
  await seedReference(t.warehouse);
  personId = citizenPersonId(t.keyRing, NIR);
  const parisians: FixturePerson[] = Array.from({ length: 12 }, (_, i) => ({
    id: 1000n + BigInt(i),
    gender: i % 2 === 0 ? FEMALE : MALE,
    year: 1950 + i * 3,
    month: 6,
    location: 1,
  }));
  await insertPersons(t.warehouse, [
    {
      id: personId,
      gender: FEMALE,
      year: 1975,
      month: 4,
      location: 1,
      conditions: [[T2D_COMPLICATED, '2021-03-01']],
    },
    {
      id: citizenPersonId(t.keyRing, NIR_NO_MONTH),
      gender: MALE,
      year: 1980,
      month: null,
      location: 2,
    },
    ...parisians,
    { id: 2000n, gender: MALE, year: 1960, month: 1, location: 2 },
  ]);
  const cast = await permitCast(t.store, t.users.researcher);
  permits = {
    paris: await issuePermit(t.store, cast, contentWith({ departements: ['75'] }), 'Paris'),
    lyon: await issuePermit(t.store, cast, contentWith({ departements: ['69'] }), 'Lyon'),
    women: await issuePermit(
      t.store,
      cast,
      contentWith({ sex: ['female'], ageRange: { min: 40, max: 60 } }),
      'Women 40–60',
    ),
    men: await issuePermit(t.store, cast, contentWith({ sex: ['male'] }), 'Men'),
    diabetes: await issuePermit(
      t.store,
      cast,
      contentWith({ conditions: [{ name: 'type 2 diabetes', conceptIds: [T2D] }] }),
      'Type 2 diabetes',
    ),
    revoked: await issuePermit(t.store, cast, contentWith({ departements: ['75'] }), 'Revoked'),
  };
  await t.store.permits.revoke(cast.reviewers[0], permits.revoked.id, 'ended early');
  // The same stores behind an app that logs everything, to scan the log output.
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  app = (
    await buildApp({
      config: t.deps.config,
      warehouse: t.warehouse,
      governance: t.store,
      keyRing: t.keyRing,
      transparencyLog: t.transparencyLog,
      clock: t.clock.now,
      logger: { level: 'trace', stream },
    })
  ).app;
});
after(async () => {
  await app.close();
  await t.close();
});

async function identify(nir: string, birthDate: string, remoteAddress = client()) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/citizen/identify',
    payload: { nir, birthDate },
    remoteAddress,
  });
}

async function citizenToken(nir = NIR, birthDate = BIRTH_DATE): Promise<string> {
  const res = await identify(nir, birthDate);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { token: string }).token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function population(permitId: string) {
  const res = await app.inject({
    url: `/api/v1/permits/${permitId}/population`,
    headers: t.as('researcher'),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { count: number | null; suppressed: boolean; minCellSize: number };
}

test('identification opens a short session as a citizen without an account', async () => {
  const res = await identify(NIR.replace(/(.{5})/g, '$1 ').trim(), BIRTH_DATE);
  assert.equal(res.statusCode, 200, res.body);
  const { token, expiresAt } = res.json() as { token: string; expiresAt: string };
  assert.match(token, /^hyc_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.equal(Date.parse(expiresAt), t.clock.t + 30 * 60_000);
  const me = await app.inject({ url: '/api/v1/me', headers: bearer(token) });
  assert.equal(me.statusCode, 200);
  assert.deepEqual(me.json(), { userId: null, roles: ['citizen'], via: 'citizen-session' });
  // Unknown month in the warehouse, special month code in the NIR: the year is enough.
  assert.equal((await identify(NIR_NO_MONTH, '1980-11-02')).statusCode, 200);
});

test('every mismatch gives the same answer: wrong month or year, not a date, unknown or invalid NIR', async () => {
  const attempts = [
    await identify(NIR, '1975-05-17'), // month differs from the NIR's
    await identify(NIR, '2075-04-17'), // same two-digit year, wrong century
    await identify(NIR, '1975-04-31'), // not a date
    await identify(NIR_UNKNOWN, BIRTH_DATE), // valid NIR of nobody
    await identify(`${NIR.slice(0, 13)}00`, BIRTH_DATE), // wrong key
    await identify(NIR_NO_MONTH, '1981-11-02'), // year differs
  ];
  const first = attempts[0];
  assert.ok(first);
  assert.equal(first.statusCode, 401);
  assert.equal(first.json().code, 'HYG_UNAUTHENTICATED');
  for (const res of attempts) {
    assert.equal(res.statusCode, first.statusCode);
    assert.equal(res.body, first.body);
  }
  // The warehouse keeps no day of birth: the day cannot be checked (documented limitation).
  assert.equal((await identify(NIR, '1975-04-18')).statusCode, 200);
  const denied = await t.store.audit.list({ action: 'citizen.identify', decision: 'deny' });
  assert.ok(denied.length >= attempts.length);
  assert.ok(denied.every((e) => e.actorId === null));
});

test('repeated failures are refused for a while, from the address and for the NIR', async () => {
  t.clock.advance(15 * 60_000); // failures of the tests above are forgotten
  const attacker = client();
  for (let i = 1; i <= 10; i++) {
    const month = String(i < 4 ? i : i + 1).padStart(2, '0');
    const res = await identify(NIR, `1975-${month}-17`, attacker);
    assert.equal(res.statusCode, 401);
  }
  // The right birth date is refused now, from that address and from any other (same NIR)…
  const blocked = await identify(NIR, BIRTH_DATE, attacker);
  assert.equal(blocked.statusCode, 403);
  assert.equal(blocked.json().details.reason, 'too-many-attempts');
  assert.equal((await identify(NIR, BIRTH_DATE)).statusCode, 403);
  assert.equal((await identify(NIR_NO_MONTH, '1980-11-02', attacker)).statusCode, 403);
  // …but not for another NIR from another address, and not after the window.
  assert.equal((await identify(NIR_NO_MONTH, '1980-11-02')).statusCode, 200);
  t.clock.advance(15 * 60_000);
  assert.equal((await identify(NIR, BIRTH_DATE, attacker)).statusCode, 200);
});

test('forged, tampered, malformed and expired citizen tokens are refused', async () => {
  const token = await citizenToken();
  const [payload, signature] = token.slice(4).split('.') as [string, string];
  const forged = issueCitizenSession(
    new KeyRing(Buffer.alloc(32, 9)),
    personId,
    t.clock.now(),
    30,
  ).token;
  const otherPayload = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), pid: '1000' }),
  ).toString('base64url');
  const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
  const bad = [
    forged,
    `hyc_${otherPayload}.${signature}`,
    `hyc_${payload}.${flip(signature)}`,
    `hyc_${payload}`,
    `hyc_${payload}.`,
    'hyc_',
    `hyc_${payload}.${signature}.${signature}`,
  ];
  for (const b of bad) {
    const res = await app.inject({ url: '/api/v1/citizen/opt-out', headers: bearer(b) });
    assert.equal(res.statusCode, 401, b);
    assert.equal(res.json().code, 'HYG_UNAUTHENTICATED');
  }
  const refused = await t.store.audit.list({ action: 'citizen.session', decision: 'deny' });
  assert.ok(refused.length >= bad.length);
  // Valid until its expiry, refused from then on.
  assert.equal(
    (await app.inject({ url: '/api/v1/citizen/opt-out', headers: bearer(token) })).statusCode,
    200,
  );
  t.clock.advance(30 * 60_000);
  const expired = await app.inject({ url: '/api/v1/citizen/opt-out', headers: bearer(token) });
  assert.equal(expired.statusCode, 401);
  assert.equal(expired.json().details.reason, 'citizen-session-expired');
});

test("opting out over HTTP removes the citizen from a permit's count, exactly; withdrawing puts them back", async () => {
  const token = await citizenToken();
  const before = await population(permits.paris.id);
  assert.deepEqual(before, { ...before, count: 13, suppressed: false });

  const status = await app.inject({ url: '/api/v1/citizen/opt-out', headers: bearer(token) });
  assert.deepEqual(status.json(), {
    optedOut: false,
    since: null,
    surveillanceExempt: false,
    history: [],
  });

  const out = await app.inject({
    method: 'POST',
    url: '/api/v1/citizen/opt-out',
    headers: bearer(token),
  });
  assert.equal(out.statusCode, 200, out.body);
  assert.equal(out.json().optedOut, true);
  assert.equal(out.json().since, t.clock.now().toISOString());
  assert.equal((await population(permits.paris.id)).count, before.count! - 1);

  const again = await app.inject({
    method: 'POST',
    url: '/api/v1/citizen/opt-out',
    headers: bearer(token),
  });
  assert.equal(again.statusCode, 409);

  t.clock.advance(60_000);
  const back = await app.inject({
    method: 'DELETE',
    url: '/api/v1/citizen/opt-out',
    headers: bearer(token),
  });
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().optedOut, false);
  assert.equal(back.json().history.length, 1);
  assert.equal(back.json().history[0].withdrawnAt, t.clock.now().toISOString());
  assert.equal((await population(permits.paris.id)).count, before.count);

  const none = await app.inject({
    method: 'DELETE',
    url: '/api/v1/citizen/opt-out',
    headers: bearer(token),
  });
  assert.equal(none.statusCode, 404);
});

test('when the opt-out cannot reach the warehouse, counts are refused until it does (never counted stale)', async () => {
  const token = await citizenToken();
  const before = (await population(permits.paris.id)).count;
  assert.equal(typeof before, 'number');
  // The mirror table disappears (a broken warehouse): the sync after the opt-out fails.
  await t.warehouse.execute('ALTER TABLE hygie_opt_out RENAME TO hygie_opt_out_away');
  const out = await app.inject({
    method: 'POST',
    url: '/api/v1/citizen/opt-out',
    headers: bearer(token),
  });
  assert.equal(out.statusCode, 500);
  // The opt-out is recorded in the register, and the count is refused rather than stale.
  assert.equal((await t.store.optOuts.listActivePersonIds('research')).length, 1);
  const refused = await app.inject({
    url: `/api/v1/permits/${permits.paris.id}/population`,
    headers: t.as('researcher'),
  });
  assert.equal(refused.statusCode, 503, refused.body);
  assert.equal(refused.json().details.reason, 'opt-out-mirror-stale');
  // Repaired: the next access syncs first and the citizen is excluded.
  await t.warehouse.execute('ALTER TABLE hygie_opt_out_away RENAME TO hygie_opt_out');
  assert.equal((await population(permits.paris.id)).count, before! - 1);
  const back = await app.inject({
    method: 'DELETE',
    url: '/api/v1/citizen/opt-out',
    headers: bearer(token),
  });
  assert.equal(back.statusCode, 200);
  assert.equal((await population(permits.paris.id)).count, before);
});

test('a population below the minimum cell size is withheld', async () => {
  const lyon = await population(permits.lyon.id);
  assert.deepEqual(lyon, {
    permitId: permits.lyon.id,
    count: null,
    suppressed: true,
    minCellSize: 10,
  });
});

test('data uses list exactly the permits whose population includes the citizen, opted out or not', async () => {
  const token = await citizenToken();
  const list = async () => {
    const res = await app.inject({ url: '/api/v1/citizen/data-uses', headers: bearer(token) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as {
      optedOutSince: string | null;
      uses: {
        permitId: string;
        projectTitle: string;
        status: string;
        data: unknown[];
        excludedSince: string | null;
      }[];
    };
  };
  const expected = [permits.paris, permits.women, permits.diabetes, permits.revoked]
    .map((p) => p.id)
    .sort();
  const before = await list();
  assert.equal(before.optedOutSince, null);
  assert.deepEqual(before.uses.map((u) => u.permitId).sort(), expected);
  const revoked = before.uses.find((u) => u.permitId === permits.revoked.id);
  assert.equal(revoked?.status, 'revoked');
  assert.equal(revoked?.projectTitle, 'Revoked');
  assert.deepEqual(revoked?.data, permits.revoked.scope.data);
  assert.ok(before.uses.every((u) => u.excludedSince === null));
  // Each use links to its transparency log entries, each proved included in the signed head.
  const { transparency } = before as unknown as {
    transparency: { head: SignedTreeHead };
  };
  const key = publicKeyFromPem((await app.inject({ url: '/api/v1/transparency/public-key' })).body);
  assert.ok(verifyTreeHead(transparency.head, key), 'the head is signed by the platform');
  const root = Buffer.from(transparency.head.rootHash, 'hex');
  for (const use of before.uses as unknown as {
    permitId: string;
    logEntries: { index: number; entry: LogEntry; inclusionProof: string[] }[];
  }[]) {
    assert.ok(use.logEntries.length > 0, `${use.permitId}: no log entry`);
    for (const e of use.logEntries) {
      assert.equal(e.entry.permitId, use.permitId);
      const proof = e.inclusionProof.map((h) => Buffer.from(h, 'hex'));
      const leaf = leafHash(encodeLogEntry(e.entry));
      assert.ok(verifyInclusion(leaf, e.index, transparency.head.treeSize, proof, root));
    }
  }

  await app.inject({ method: 'POST', url: '/api/v1/citizen/opt-out', headers: bearer(token) });
  const after = await list();
  const since = t.clock.now().toISOString();
  assert.equal(after.optedOutSince, since);
  assert.deepEqual(after.uses.map((u) => u.permitId).sort(), expected);
  for (const u of after.uses) {
    // A permit revoked before the opt-out was never affected by it.
    assert.equal(u.excludedSince, u.permitId === permits.revoked.id ? null : since, u.projectTitle);
  }
  await app.inject({ method: 'DELETE', url: '/api/v1/citizen/opt-out', headers: bearer(token) });
});

test('citizen tokens cannot call researcher routes; accounts without a citizen session cannot use citizen routes', async () => {
  const token = await citizenToken();
  for (const url of [
    `/api/v1/permits/${permits.paris.id}/population`,
    `/api/v1/permits/${permits.paris.id}`,
    '/api/v1/audit',
  ]) {
    const res = await app.inject({ url, headers: bearer(token) });
    assert.equal(res.statusCode, 403, url);
    assert.equal(res.json().details.reason, 'route-access', url);
  }
  const account = await app.inject({ url: '/api/v1/citizen/opt-out', headers: t.as('citizen') });
  assert.equal(account.statusCode, 403);
  assert.equal(account.json().details.reason, 'citizen-session-required');
});

test('a researcher outside the project is refused the population, and the refusal is audited', async () => {
  const outsider = await t.store.users.create(SYSTEM_ACTOR, {
    login: 'outsider',
    displayName: 'Outsider',
    roles: ['researcher'],
  });
  const { token } = await t.store.users.createApiToken(SYSTEM_ACTOR, outsider.id, { label: 't' });
  const res = await app.inject({
    url: `/api/v1/permits/${permits.paris.id}/population`,
    headers: bearer(token),
  });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().details.reason, 'not-a-project-member');
  const [event] = (await t.store.audit.list({ permitId: permits.paris.id, limit: 10_000 })).slice(
    -1,
  );
  assert.equal(event?.decision, 'deny');
  assert.equal(event?.actorId, outsider.id);
});

test('NIR login can be turned off; without a key ring citizens cannot identify', async () => {
  for (const [config, keyRing, status, code] of [
    [{ ...t.deps.config, citizenNirLogin: false }, t.keyRing, 403, 'HYG_FORBIDDEN'],
    [t.deps.config, undefined, 503, 'HYG_UNAVAILABLE'],
  ] as const) {
    const other = await buildApp({
      config,
      warehouse: t.warehouse,
      governance: t.store,
      keyRing,
      clock: t.clock.now,
      logger: false,
    });
    const res = await other.app.inject({
      method: 'POST',
      url: '/api/v1/citizen/identify',
      payload: { nir: NIR, birthDate: BIRTH_DATE },
    });
    assert.equal(res.statusCode, status);
    assert.equal(res.json().code, code);
    await other.app.close();
  }
});

test('no NIR, birth date or person id in the audit trail, the logs or an answer', async () => {
  // One more round trip of everything, then scan.
  const token = await citizenToken(NIR.replace(/(.{3})/g, '$1.').replace(/\.$/, ''));
  await app.inject({ method: 'POST', url: '/api/v1/citizen/opt-out', headers: bearer(token) });
  await app.inject({ url: '/api/v1/citizen/data-uses', headers: bearer(token) });
  await app.inject({ method: 'DELETE', url: '/api/v1/citizen/opt-out', headers: bearer(token) });
  const audit = JSON.stringify(await t.store.audit.list({ limit: 10_000 }));
  const logs = logLines.join('');
  assert.ok(logs.length > 0, 'the app logged');
  assert.ok(logs.includes('/api/v1/citizen/identify'), 'the identify requests were logged');
  const secrets = [
    NIR,
    NIR.slice(0, 13),
    NIR_NO_MONTH.slice(0, 13),
    NIR_UNKNOWN.slice(0, 13),
    BIRTH_DATE,
    '1980-11-02',
    personId.toString(10),
    citizenPersonId(t.keyRing, NIR_NO_MONTH).toString(10),
  ];
  for (const secret of secrets) {
    assert.ok(!audit.includes(secret), `audit trail holds ${secret.slice(0, 3)}…`);
    assert.ok(!logs.includes(secret), `logs hold ${secret.slice(0, 3)}…`);
  }
  const tokenPart = token.slice(4, 30);
  assert.ok(!logs.includes(tokenPart) && !audit.includes(tokenPart), 'no citizen token');
});
