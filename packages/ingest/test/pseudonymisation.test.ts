/**
 * Pseudonymisation at the border, on a full synthetic extract in both formats: the warehouse
 * never receives a NIR, a name, an address line, a phone number, an exact birth date or a source
 * record id (every text column of every table is scanned); the same person arriving from SNDS and
 * FHIR links to one person_id; an extract pseudonymised at the source gives the very same persons.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing, exportSourceKey } from '@hygie/keys';
import { synthesise } from '@hygie/synth';
import type { WarehouseEngine } from '@hygie/warehouse';
import { createFhirConnector, createSndsConnector, runBatch } from '../src/index.js';
import { TEST_MASTER, freshWarehouse, testKeys } from './ingest-helpers.js';

/** Reference tables loaded from Hygie's own data, not from sources: not scanned. */
const REFERENCE_TABLES = new Set([
  'concept',
  'concept_relationship',
  'concept_ancestor',
  'vocabulary',
  'location',
  'cdm_source',
]);

interface Identifiers {
  nirs: Set<string>;
  words: Set<string>;
  texts: Set<string>;
}

function identifiersOf(dir: string): Identifiers {
  const nirs = new Set<string>();
  const words = new Set<string>();
  const texts = new Set<string>();
  for (const line of readFileSync(join(dir, 'fhir', 'Patient.ndjson'), 'utf8').split('\n')) {
    if (!line) continue;
    const p = JSON.parse(line) as {
      id: string;
      identifier: { value: string }[];
      name: { family: string; given: string[] }[];
      birthDate: string;
      telecom: { value: string }[];
      address: { line: string[] }[];
    };
    for (const i of p.identifier) nirs.add(i.value);
    for (const n of p.name) {
      words.add(n.family);
      for (const g of n.given) words.add(g);
    }
    texts.add(p.birthDate);
    texts.add(p.id);
    for (const t of p.telecom) texts.add(t.value);
    for (const a of p.address) for (const l of a.line) texts.add(l);
  }
  return { nirs, words, texts };
}

/** Every text value of every non-reference table, as one string per row and column. */
async function textValues(engine: WarehouseEngine): Promise<{ where: string; value: string }[]> {
  const cols = await engine.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE data_type = 'VARCHAR' AND table_schema = 'main' ORDER BY table_name, column_name`,
  );
  const out: { where: string; value: string }[] = [];
  for (const c of cols) {
    if (REFERENCE_TABLES.has(c.table_name)) continue;
    const q = engine.dialect.quoteIdent;
    const rows = await engine.query<{ v: string }>(
      `SELECT DISTINCT ${q(c.column_name)} AS v FROM ${q(c.table_name)} WHERE ${q(c.column_name)} IS NOT NULL`,
    );
    for (const r of rows) out.push({ where: `${c.table_name}.${c.column_name}`, value: r.v });
  }
  return out;
}

const NIR_IN_TEXT =
  /(?<![0-9A-Za-z])[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?(?![0-9A-Za-z])/;

let dir: string;
let engine: WarehouseEngine;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hygie-pseudo-'));
  await synthesise({
    persons: 800,
    from: 2022,
    to: 2023,
    seed: 'pseudo',
    format: 'both',
    workers: 0,
    out: join(dir, 'raw'),
  });
  engine = await freshWarehouse();
  const snds = await runBatch(engine, testKeys(), {
    connector: createSndsConnector(),
    paths: [join(dir, 'raw', 'snds')],
  });
  const fhir = await runBatch(engine, testKeys(), {
    connector: createFhirConnector(),
    paths: [join(dir, 'raw', 'fhir')],
  });
  assert.equal(snds.status, 'published');
  assert.equal(fhir.status, 'published');
});
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

test('no direct identifier reaches any table: NIRs, names, birth dates, phones, address lines, record ids', async () => {
  const ids = identifiersOf(join(dir, 'raw'));
  assert.ok(ids.nirs.size > 700 && ids.words.size > 50);
  const values = await textValues(engine);
  assert.ok(values.length > 100, 'the scan reads real data');
  const hits: string[] = [];
  for (const { where, value } of values) {
    if (NIR_IN_TEXT.test(value)) hits.push(`${where}: NIR pattern`);
    for (const token of value.toUpperCase().split(/[^A-Z0-9-]+/))
      if (ids.words.has(token)) hits.push(`${where}: name ${token}`);
    for (const t of ids.texts) if (value.includes(t)) hits.push(`${where}: identifier text`);
  }
  assert.deepEqual(hits.slice(0, 10), []);
});

test('SNDS and FHIR records of the same person link to one person_id', async () => {
  const ben =
    readFileSync(join(dir, 'raw', 'snds', 'IR_BEN_R.csv'), 'utf8')
      .split('\n')
      .filter((l) => l).length - 1;
  const [p] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM person');
  assert.equal(Number(p?.n), ben, 'FHIR patients did not create new persons');
  // Every person with a FHIR measurement is an SNDS beneficiary with claims.
  const [orphans] = await engine.query<{ n: number }>(
    `SELECT count(DISTINCT person_id) AS n FROM measurement WHERE person_id NOT IN (SELECT person_id FROM drug_exposure UNION SELECT person_id FROM visit_occurrence WHERE visit_type_concept_id = 32810)`,
  );
  assert.ok(Number(orphans?.n) < 20, 'measurements belong to persons known from claims');
  const [identities] = await engine.query<{ n: number; kinds: number }>(
    'SELECT count(*) AS n, count(DISTINCT kind) AS kinds FROM hygie_person_identity',
  );
  assert.equal(Number(identities?.n), ben);
  assert.equal(Number(identities?.kinds), 1);
});

test('an extract pseudonymised at the source (K_source) gives exactly the same persons', async () => {
  const keyFile = join(dir, 'source.key');
  exportSourceKey(new KeyRing(TEST_MASTER), keyFile);
  await synthesise({
    persons: 800,
    from: 2022,
    to: 2023,
    seed: 'pseudo',
    format: 'both',
    workers: 0,
    sourceKeyFile: keyFile,
    out: join(dir, 'source-pseudonymised'),
  });
  const other = await freshWarehouse();
  try {
    for (const [connector, sub] of [
      [createSndsConnector(), 'snds'],
      [createFhirConnector(), 'fhir'],
    ] as const) {
      const r = await runBatch(other, testKeys(), {
        connector,
        paths: [join(dir, 'source-pseudonymised', sub)],
      });
      assert.equal(r.status, 'published');
    }
    const ids = async (e: WarehouseEngine): Promise<string[]> =>
      (
        await e.query<{ id: bigint | number }>(
          'SELECT person_id AS id FROM person ORDER BY person_id',
        )
      ).map((r) => String(r.id));
    assert.deepEqual(await ids(other), await ids(engine));
  } finally {
    await other.close();
  }
});
