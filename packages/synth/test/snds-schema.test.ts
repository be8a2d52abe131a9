/**
 * Every SNDS file `hygie synth` writes validates against its Table Schema (types, formats,
 * lengths, constraints and the nomenclatures Hygie ships), with the raw-NIR profile for identifier
 * columns; and the files hold together (join keys, stays, persons, codes).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileRowValidator, parseTableSchema, primaryKeyOf } from '@hygie/core';
import {
  ccamCodes,
  cim10Codes,
  drugProducts,
  sndsTableOfFile,
  sndsTableSchemaJson,
  sndsNomenclatureOf,
} from '@hygie/reference';
import { RAW_NIR_OVERRIDES, SNDS_COLUMNS } from '../src/index.js';
import { generate, readSnds, readSndsObjects, type Run } from './helpers.js';

/** Resolves a field's nomenclature reference to its codes. */
const nomenclature = (reference: string): ReadonlySet<string> | undefined =>
  sndsNomenclatureOf(reference);

let run: Run;
before(async () => {
  run = await generate({ persons: 3000, format: 'snds', workers: 2, seed: 'schema' });
});
after(() => run.cleanup());

test('every SNDS file validates against its table schema', () => {
  const dir = join(run.dir, 'snds');
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
  assert.ok(files.length >= 29);
  let rows = 0;
  for (const f of files) {
    const table = sndsTableOfFile(f.replace('.csv', ''));
    assert.ok(table, `${f} is not a known SNDS table`);
    const schema = parseTableSchema(sndsTableSchemaJson(table));
    const { header, rows: data } = readSnds(join(dir, f));
    assert.deepEqual(header, SNDS_COLUMNS[table], `${f} header`);
    const validate = compileRowValidator(schema, header, {
      overrides: RAW_NIR_OVERRIDES,
      nomenclature,
    });
    for (let i = 0; i < data.length; i++) {
      const errors = validate(data[i] as string[]);
      assert.equal(errors, null, `${f} line ${i + 2}: ${JSON.stringify(errors)}`);
    }
    rows += data.length;
    // Primary keys declared by the schema are unique.
    const pk = primaryKeyOf(schema).filter((c) => header.includes(c));
    if (pk.length > 0 && pk.length === primaryKeyOf(schema).length) {
      const idx = pk.map((c) => header.indexOf(c));
      const keys = new Set(data.map((r) => idx.map((i) => r[i]).join('|')));
      assert.equal(keys.size, data.length, `${f}: primary key not unique`);
    }
  }
  assert.ok(rows > 200_000);
});

test('the validator rejects what the schema forbids', () => {
  const schema = parseTableSchema(sndsTableSchemaJson('IR_BEN_R'));
  const header = [...SNDS_COLUMNS.IR_BEN_R];
  const validate = compileRowValidator(schema, header, {
    overrides: RAW_NIR_OVERRIDES,
    nomenclature,
  });
  const good = readSnds(join(run.dir, 'snds', 'IR_BEN_R.csv')).rows[0] as string[];
  assert.equal(validate(good), null);
  const bad = (col: string, value: string): string | undefined => {
    const row = [...good];
    row[header.indexOf(col)] = value;
    return validate(row)?.[0]?.column;
  };
  assert.equal(bad('BEN_NIR_PSA', '12345'), 'BEN_NIR_PSA');
  assert.equal(bad('BEN_SEX_COD', '5'), 'BEN_SEX_COD');
  assert.equal(bad('BEN_NAI_MOI', '13'), 'BEN_NAI_MOI');
  assert.equal(bad('BEN_DCD_DTE', '2021-02-30'), 'BEN_DCD_DTE');
  assert.equal(bad('BEN_RES_DPT', '096'), 'BEN_RES_DPT');
  // The reason never quotes the value.
  const row = [...good];
  row[header.indexOf('BEN_NIR_PSA')] = 'X99999999999999';
  const errors = validate(row) ?? [];
  assert.ok(errors.length > 0 && errors.every((e) => !e.reason.includes('X99999999999999')));
});

test('the files hold together: claims, pharmacy lines, stays and deaths refer to known persons and codes', () => {
  const dir = join(run.dir, 'snds');
  const nirs = new Set(readSndsObjects(join(dir, 'IR_BEN_R.csv')).map((b) => b.BEN_NIR_PSA));
  const key = (r: Record<string, string>): string =>
    [
      'DCT_ORD_NUM',
      'FLX_DIS_DTD',
      'FLX_EMT_NUM',
      'FLX_EMT_ORD',
      'FLX_EMT_TYP',
      'FLX_TRT_DTD',
      'ORG_CLE_NUM',
      'PRS_ORD_NUM',
      'REM_TYP_AFF',
    ]
      .map((c) => r[c])
      .join('|');
  const prs = readSndsObjects(join(dir, 'ER_PRS_F.csv'));
  const prsKeys = new Set(prs.map(key));
  assert.equal(prsKeys.size, prs.length, 'ER_PRS_F join key unique');
  for (const p of prs) assert.ok(nirs.has(p.BEN_NIR_PSA));
  const products = new Set(drugProducts().map((d) => d.cip13));
  for (const h of readSndsObjects(join(dir, 'ER_PHA_F.csv'))) {
    assert.ok(prsKeys.has(key(h)), 'pharmacy line without its claim');
    assert.ok(products.has(h.PHA_PRS_C13 ?? ''), 'unknown CIP13');
  }
  const cim = cim10Codes();
  const ccam = ccamCodes();
  for (const f of readdirSync(dir).filter((x) => /^T_MCO\d\dB\.csv$/.test(x))) {
    const b = readSndsObjects(join(dir, f));
    const rsa = new Set(b.map((s) => `${s.ETA_NUM}|${s.RSA_NUM}`));
    for (const s of b) assert.ok(cim.has(s.DGN_PAL ?? ''), `unknown DP ${s.DGN_PAL}`);
    const c = readSndsObjects(join(dir, f.replace('B.csv', 'C.csv')));
    assert.equal(c.length, b.length);
    for (const s of c) {
      assert.ok(rsa.has(`${s.ETA_NUM}|${s.RSA_NUM}`));
      assert.ok(nirs.has(s.NIR_ANO_17));
    }
    for (const d of readSndsObjects(join(dir, f.replace('B.csv', 'D.csv')))) {
      assert.ok(rsa.has(`${d.ETA_NUM}|${d.RSA_NUM}`));
      assert.ok(cim.has(d.ASS_DGN ?? ''));
    }
    for (const a of readSndsObjects(join(dir, f.replace('B.csv', 'A.csv')))) {
      assert.ok(rsa.has(`${a.ETA_NUM}|${a.RSA_NUM}`));
      assert.ok(ccam.has(a.CDC_ACT ?? ''), `unknown CCAM ${a.CDC_ACT}`);
    }
  }
  for (const d of readSndsObjects(join(dir, 'KI_CCI_R.csv'))) {
    assert.ok(nirs.has(d.BEN_NIR_ANO));
    assert.ok(cim.has(d.DCD_CIM_COD ?? ''));
  }
});
