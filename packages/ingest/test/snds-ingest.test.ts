/**
 * SNDS extract ingestion end to end on a real DuckDB warehouse: every row accounted for (read =
 * loaded + quarantined), persons pseudonymised by the documented derivation, codes mapped to the
 * French vocabularies, re-ingestion a no-op, bad rows quarantined with file, line, field and rule,
 * and a failed or refused batch leaving the warehouse exactly as it was.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NIR_KIND, deriveKey, KeyLabels, platformIdentity, sourcePseudonym } from '@hygie/core';
import type { WarehouseEngine } from '@hygie/warehouse';
import { createSndsConnector, runBatch, type Connector } from '../src/index.js';
import {
  TEST_MASTER,
  cdmCounts,
  freshWarehouse,
  rows,
  syntheticExtract,
  testKeys,
} from './ingest-helpers.js';

function dataLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 0);
}

describe('a clean synthetic SNDS extract', () => {
  let engine: WarehouseEngine;
  let extract: { dir: string; cleanup: () => void };
  before(async () => {
    engine = await freshWarehouse();
    extract = await syntheticExtract({ persons: 1500 });
  });
  after(async () => {
    await engine.close();
    extract.cleanup();
  });

  test('is published whole: read = loaded per table, CDM rows as the files say', async () => {
    const report = await runBatch(engine, testKeys(), {
      connector: createSndsConnector(),
      paths: [join(extract.dir, 'snds')],
    });
    assert.equal(report.status, 'published');
    assert.equal(report.rejectRate, 0);
    const snds = join(extract.dir, 'snds');
    const linesOf = (prefix: RegExp): number =>
      readdirSync(snds)
        .filter((f) => prefix.test(f))
        .reduce((n, f) => n + dataLines(join(snds, f)).length, 0);
    const expected: Record<string, number> = {
      IR_BEN_R: linesOf(/^IR_BEN_R/),
      ER_PRS_F: linesOf(/^ER_PRS_F/),
      ER_PHA_F: linesOf(/^ER_PHA_F/),
      T_MCOaaB: linesOf(/^T_MCO\d\dB/),
      T_MCOaaC: linesOf(/^T_MCO\d\dC/),
      T_MCOaaD: linesOf(/^T_MCO\d\dD/),
      T_MCOaaA: linesOf(/^T_MCO\d\dA/),
      KI_CCI_R: linesOf(/^KI_CCI_R/),
      KI_ECD_R: linesOf(/^KI_ECD_R/),
    };
    for (const [table, n] of Object.entries(expected)) {
      const t = report.tables[table];
      assert.ok(t, table);
      assert.equal(t.read, n, `${table} read`);
      assert.equal(t.loaded + t.quarantined, t.read, `${table} read = loaded + quarantined`);
      assert.equal(t.quarantined, 0, `${table} quarantined`);
    }
    const counts = await cdmCounts(engine);
    assert.equal(counts.person, expected.IR_BEN_R);
    assert.equal(counts.drug_exposure, expected.ER_PHA_F);
    assert.equal(counts.death, expected.KI_CCI_R);
    assert.equal(counts.procedure_occurrence, expected.T_MCOaaA);
    const [inpatient] = await engine.query<{ n: number }>(
      'SELECT count(*) AS n FROM visit_occurrence WHERE visit_concept_id = 9201',
    );
    assert.equal(Number(inpatient?.n), expected.T_MCOaaB);
    // Batch bookkeeping.
    assert.equal(await rows(engine, 'hygie_batch_file'), report.files.length);
    const [batch] = await engine.query<{ status: string; manifest: string }>(
      'SELECT status, manifest FROM hygie_batch WHERE batch_id = $1',
      [report.batchId],
    );
    assert.equal(batch?.status, 'published');
    assert.equal(
      (JSON.parse(batch?.manifest ?? '{}') as { contentHash: string }).contentHash,
      report.contentHash,
    );
  });

  test('maps codes to the vocabularies and persons to the documented pseudonyms', async () => {
    for (const [table, column] of [
      ['drug_exposure', 'drug_concept_id'],
      ['condition_occurrence', 'condition_concept_id'],
      ['procedure_occurrence', 'procedure_concept_id'],
    ] as const) {
      const [r] = await engine.query<{ n: number }>(
        `SELECT count(*) AS n FROM ${table} WHERE ${column} = 0`,
      );
      assert.equal(Number(r?.n), 0, `${table}: unmapped codes`);
    }
    // The person of a NIR is platformIdentity(K_platform, 'nir', sourcePseudonym(K_source, body)).
    const ben = dataLines(join(extract.dir, 'snds', 'IR_BEN_R.csv'))[0]?.split(';') ?? [];
    const nir = ben[0] as string;
    const p1 = sourcePseudonym(deriveKey(TEST_MASTER, KeyLabels.sourceNir), nir.slice(0, 13));
    const { personId } = platformIdentity(
      [deriveKey(TEST_MASTER, KeyLabels.platform(1))],
      NIR_KIND,
      p1,
    );
    const found = await engine.query<{ year_of_birth: number; gender_concept_id: number }>(
      'SELECT year_of_birth, gender_concept_id FROM person WHERE person_id = $1',
      [personId],
    );
    assert.equal(found.length, 1);
    assert.equal(found[0]?.year_of_birth, Number(ben[2]));
    assert.equal(found[0]?.gender_concept_id, ben[4] === '1' ? 8507 : 8532);
    // Persons live in communes, never addresses.
    const [loc] = await engine.query<{ n: number }>(
      'SELECT count(*) AS n FROM person WHERE location_id IS NULL',
    );
    assert.equal(Number(loc?.n), 0);
  });

  test('re-ingesting the same files is a no-op', async () => {
    const before = await cdmCounts(engine);
    const again = await runBatch(engine, testKeys(), {
      connector: createSndsConnector(),
      paths: [join(extract.dir, 'snds')],
    });
    assert.equal(again.status, 'noop');
    assert.deepEqual(await cdmCounts(engine), before);
  });
});

describe('a damaged SNDS extract', () => {
  let extract: { dir: string; cleanup: () => void };
  let damaged: string;
  before(async () => {
    extract = await syntheticExtract({ persons: 400, seed: 'damaged' });
    damaged = mkdtempSync(join(tmpdir(), 'hygie-damaged-'));
    cpSync(join(extract.dir, 'snds'), damaged, { recursive: true });
    const edit = (file: string, line: number, fn: (cols: string[]) => string[] | string): void => {
      const path = join(damaged, file);
      const text = readFileSync(path, 'utf8').split('\n');
      const cols = (text[line - 1] as string).split(';');
      const r = fn(cols);
      text[line - 1] = typeof r === 'string' ? r : r.join(';');
      writeFileSync(path, text.join('\n'));
    };
    edit('IR_BEN_R.csv', 5, (c) => ((c[4] = '7'), c)); // sex code not in IR_SEX_V
    edit('ER_PRS_F.csv', 10, (c) => ((c[15] = '2021-02-30'), c)); // impossible date: the reader rejects it
    edit('ER_PRS_F.csv', 20, (c) => [...c, 'extra']); // one field too many
    edit('ER_PRS_F.csv', 30, (c) => ((c[9] = '199999999999999'), c)); // NIR with a wrong key
    edit('ER_PHA_F.csv', 7, (c) => ((c[0] = '999999999'), c)); // pharmacy line without its claim
  });
  after(() => {
    extract.cleanup();
    rmSync(damaged, { recursive: true, force: true });
  });

  test('quarantines each bad row with its file, line, field and rule, and loads the rest', async () => {
    const engine = await freshWarehouse();
    try {
      const report = await runBatch(engine, testKeys(), {
        connector: createSndsConnector(),
        paths: [damaged],
        maxRejectRate: 0.05,
      });
      assert.equal(report.status, 'published');
      for (const t of Object.values(report.tables)) assert.equal(t.loaded + t.quarantined, t.read);
      const q = await engine.query<{
        path: string;
        line: number;
        field: string | null;
        rule: string;
      }>('SELECT path, line, field, rule FROM hygie_quarantine ORDER BY path, line');
      if (process.env.DEBUG_Q) console.log(q);
      const at = (file: string, line: number): { field: string | null; rule: string } | undefined =>
        q.find((r) => r.path === file && Number(r.line) === line);
      assert.equal(at('IR_BEN_R.csv', 5)?.field, 'BEN_SEX_COD');
      assert.match(at('IR_BEN_R.csv', 5)?.rule ?? '', /nomenclature IR_SEX_V/);
      assert.equal(at('ER_PRS_F.csv', 10)?.field, 'EXE_SOI_DTD');
      assert.match(at('ER_PRS_F.csv', 20)?.rule ?? '', /too many columns/);
      assert.equal(at('ER_PRS_F.csv', 30)?.field, 'BEN_NIR_PSA');
      assert.match(at('ER_PRS_F.csv', 30)?.rule ?? '', /not a valid NIR/);
      assert.match(at('ER_PHA_F.csv', 7)?.rule ?? '', /no valid claim/);
      // The quarantine never holds a value: no NIR-like digit run anywhere in it.
      assert.ok(q.every((r) => !/\d{13}/.test(`${r.field} ${r.rule}`)));
      // The beneficiary whose row was rejected is not in the warehouse; rows of that person went to quarantine too.
      assert.equal(report.tables.IR_BEN_R?.quarantined, 1);
      assert.ok((report.tables.ER_PRS_F?.quarantined ?? 0) >= 3);
    } finally {
      await engine.close();
    }
  });

  test('above --max-reject-rate nothing is published and the quarantine is kept', async () => {
    const engine = await freshWarehouse();
    try {
      const before = await cdmCounts(engine);
      const report = await runBatch(engine, testKeys(), {
        connector: createSndsConnector(),
        paths: [damaged],
        maxRejectRate: 0,
      });
      assert.equal(report.status, 'rejected');
      assert.match(report.error ?? '', /nothing was published/);
      assert.deepEqual(await cdmCounts(engine), before);
      assert.ok((await rows(engine, 'hygie_quarantine')) >= 5);
      const [b] = await engine.query<{ status: string }>('SELECT status FROM hygie_batch');
      assert.equal(b?.status, 'rejected');
    } finally {
      await engine.close();
    }
  });

  test('a batch failing while publishing leaves the warehouse exactly as before, and can be rerun', async () => {
    const engine = await freshWarehouse();
    try {
      const before = await cdmCounts(engine);
      const snds = createSndsConnector();
      const failing: Connector = {
        ...snds,
        async publish(...args) {
          await snds.publish(...args);
          throw new Error('disk full (simulated)');
        },
      };
      await assert.rejects(
        runBatch(engine, testKeys(), { connector: failing, paths: [join(extract.dir, 'snds')] }),
      );
      assert.deepEqual(await cdmCounts(engine), before);
      assert.equal(await rows(engine, 'hygie_person_identity'), 0);
      const [b] = await engine.query<{ status: string; error: string }>(
        'SELECT status, error FROM hygie_batch',
      );
      assert.equal(b?.status, 'failed');
      assert.doesNotMatch(b?.error ?? '', /disk full/, 'foreign error texts are not recorded');
      const rerun = await runBatch(engine, testKeys(), {
        connector: createSndsConnector(),
        paths: [join(extract.dir, 'snds')],
      });
      assert.equal(rerun.status, 'published');
      assert.ok((await rows(engine, 'person')) > 0);
    } finally {
      await engine.close();
    }
  });
});

test('a pseudonym collision with a person already in the warehouse refuses the batch and changes nothing', async () => {
  const extract = await syntheticExtract({ persons: 200, seed: 'collision' });
  const engine = await freshWarehouse();
  try {
    // Plant an identity that holds the person id this extract's first NIR will get, with another
    // fingerprint: as if two different people had collided on a 63-bit id.
    const nir = (dataLines(join(extract.dir, 'snds', 'IR_BEN_R.csv'))[0] ?? '').split(';')[0] ?? '';
    const p1 = sourcePseudonym(deriveKey(TEST_MASTER, KeyLabels.sourceNir), nir.slice(0, 13));
    const { personId, fingerprint } = platformIdentity(
      [deriveKey(TEST_MASTER, KeyLabels.platform(1))],
      NIR_KIND,
      p1,
    );
    await engine.execute(
      `INSERT INTO hygie_person_identity (person_id, fingerprint, kind, batch_id) VALUES ($1, $2, 'nir', 'planted')`,
      [personId, fingerprint + 1n],
    );
    const before = await cdmCounts(engine);
    await assert.rejects(
      runBatch(engine, testKeys(), {
        connector: createSndsConnector(),
        paths: [join(extract.dir, 'snds')],
      }),
      /pseudonym collision/,
    );
    assert.deepEqual(await cdmCounts(engine), before);
    const [b] = await engine.query<{ status: string; error: string }>(
      `SELECT status, error FROM hygie_batch`,
    );
    assert.equal(b?.status, 'failed');
    assert.match(b?.error ?? '', /HYG_CONFLICT/);
  } finally {
    await engine.close();
    extract.cleanup();
  }
});
