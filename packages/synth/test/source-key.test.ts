/**
 * `hygie synth --source-key`: an extract pseudonymised at the source. No NIR is left in any SNDS or
 * FHIR file; identifier columns hold each person's 17-character source pseudonym (that of the
 * same person generated without the key); everything else is unchanged; and the SNDS files
 * validate against the SNDS table schemas as they are, without the raw-NIR overrides.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeSystems,
  NIR_SEARCH_PATTERN,
  SOURCE_PSEUDONYM_RE,
  compileRowValidator,
  isHygieError,
  parseTableSchema,
  sourcePseudonym,
} from '@hygie/core';
import { createKeyFile, exportSourceKey, readSourceKey } from '@hygie/keys';
import { sndsNomenclatureOf, sndsTableOfFile, sndsTableSchemaJson } from '@hygie/reference';
import { SNDS_COLUMNS, SNDS_PERSON_ID_COLUMN, synthesise } from '../src/index.js';
import { generate, readNdjson, readSnds, sha256, type Run } from './helpers.js';

const keysDir = mkdtempSync(join(tmpdir(), 'hygie-synth-source-key-'));
const sourceKeyFile = join(keysDir, 'producer', 'source.key');
let key: Buffer;
let raw: Run;
let keyed: Run;
let keyedInThread: Run;

before(async () => {
  const ring = createKeyFile(join(keysDir, 'keys', 'master.key'));
  exportSourceKey(ring, sourceKeyFile);
  key = readSourceKey(sourceKeyFile).nirKey();
  const common = { persons: 1200, format: 'both', seed: 'source-key' };
  raw = await generate({ ...common, workers: 2 });
  keyed = await generate({ ...common, workers: 2, sourceKeyFile });
  keyedInThread = await generate({ ...common, workers: 0, chunkSize: 300, sourceKeyFile });
});
after(() => {
  for (const r of [raw, keyed, keyedInThread]) r?.cleanup();
  rmSync(keysDir, { recursive: true, force: true });
});

/** Every output file of a run (relative paths), SNDS then FHIR. */
function dataFiles(run: Run): string[] {
  return [
    ...readdirSync(join(run.dir, 'snds')).map((f) => `snds/${f}`),
    ...readdirSync(join(run.dir, 'fhir')).map((f) => `fhir/${f}`),
  ].sort();
}

const pseudonym = (nir: string): string => sourcePseudonym(key, nir.slice(0, 13));

test('no NIR is left in any SNDS or FHIR file', () => {
  // A NIR written as an identifier is a token of its own; a NIR-shaped run of digits inside a
  // longer token (a 64-hex death certificate id, a hex pseudonym) is not one.
  const bounded = new RegExp(
    `(?<![0-9A-Za-z])(?:${NIR_SEARCH_PATTERN.source})(?![0-9A-Za-z])`,
    'g',
  );
  const rawNirs = new Set(
    readSnds(join(raw.dir, 'snds', 'IR_BEN_R.csv')).rows.flatMap((r) => {
      const nir = r[0] as string;
      return [nir, nir.slice(0, 13)];
    }),
  );
  assert.ok(rawNirs.size > 2000);
  const files = dataFiles(keyed);
  assert.ok(files.length > 30);
  for (const f of files) {
    const text = readFileSync(join(keyed.dir, f), 'utf8');
    const hits = text.match(bounded) ?? [];
    assert.deepEqual(hits.slice(0, 3), [], `${f}: NIR-shaped values`);
    const tokens = text.split(/[^0-9A-Za-z]+/);
    assert.ok(!tokens.some((t) => rawNirs.has(t)), `${f}: a NIR of the population`);
  }
  // The same scan finds the NIRs of the extract generated without the key.
  const rawText = readFileSync(join(raw.dir, 'snds', 'IR_BEN_R.csv'), 'utf8');
  assert.ok((rawText.match(bounded) ?? []).length > 1000);
});

test('identifier columns hold the source pseudonym of the same person; nothing else changes', () => {
  let checked = 0;
  for (const f of dataFiles(keyed).filter((x) => x.startsWith('snds/'))) {
    const table = sndsTableOfFile(f.slice(5).replace('.csv', ''));
    assert.ok(table, f);
    const a = readSnds(join(raw.dir, f));
    const b = readSnds(join(keyed.dir, f));
    assert.deepEqual(b.header, a.header);
    assert.equal(b.rows.length, a.rows.length, f);
    const column = SNDS_PERSON_ID_COLUMN[table];
    if (column === undefined) {
      assert.equal(sha256(join(keyed.dir, f)), sha256(join(raw.dir, f)), f);
      continue;
    }
    const at = b.header.indexOf(column);
    b.rows.forEach((row, i) => {
      const before = a.rows[i] as string[];
      const id = row[at] as string;
      assert.match(id, SOURCE_PSEUDONYM_RE, `${f} line ${i + 2}`);
      assert.equal(id, pseudonym(before[at] as string), `${f} line ${i + 2}`);
      assert.deepEqual(
        row.filter((_, j) => j !== at),
        before.filter((_, j) => j !== at),
        `${f} line ${i + 2}`,
      );
      checked++;
    });
  }
  assert.ok(checked > 10_000);
  // Distinct persons keep distinct pseudonyms.
  const ben = readSnds(join(keyed.dir, 'snds', 'IR_BEN_R.csv')).rows.map((r) => r[0]);
  assert.equal(new Set(ben).size, ben.length);
});

test('FHIR Patients carry the source pseudonym under its own system; other resources are unchanged', () => {
  const before = readNdjson(join(raw.dir, 'fhir', 'Patient.ndjson'));
  const after = readNdjson(join(keyed.dir, 'fhir', 'Patient.ndjson'));
  assert.equal(after.length, before.length);
  after.forEach((p, i) => {
    const q = before[i] as Record<string, unknown>;
    const [id] = p.identifier as { system: string; value: string; use: string }[];
    const [rawId] = q.identifier as { system: string; value: string }[];
    assert.equal(rawId?.system, CodeSystems.insNir);
    assert.equal(id?.system, CodeSystems.nirSourcePseudonym);
    assert.equal(id?.use, 'official');
    assert.equal(id?.value, pseudonym(rawId?.value ?? ''));
    // As a hospital export keeps them: names, birth date, addresses, phone.
    assert.deepEqual({ ...p, identifier: undefined }, { ...q, identifier: undefined });
  });
  for (const f of dataFiles(keyed).filter(
    (x) => x.startsWith('fhir/') && !x.endsWith('Patient.ndjson'),
  ))
    assert.equal(sha256(join(keyed.dir, f)), sha256(join(raw.dir, f)), f);
});

/** Resolves a field's nomenclature reference to its codes. */
const nomenclature = (reference: string): ReadonlySet<string> | undefined =>
  sndsNomenclatureOf(reference);

/** Validation errors of an SNDS file against its table schema, with no override. */
function schemaErrors(run: Run, f: string): number {
  const table = sndsTableOfFile(f.slice(5).replace('.csv', ''));
  assert.ok(table, f);
  const { header, rows } = readSnds(join(run.dir, f));
  assert.deepEqual(header, SNDS_COLUMNS[table]);
  const validate = compileRowValidator(parseTableSchema(sndsTableSchemaJson(table)), header, {
    nomenclature,
  });
  return rows.filter((r) => validate(r) !== null).length;
}

test('the SNDS files validate against the table schemas without the raw-NIR overrides', () => {
  const files = dataFiles(keyed).filter((x) => x.startsWith('snds/'));
  assert.ok(files.length >= 29);
  for (const f of files) assert.equal(schemaErrors(keyed, f), 0, f);
  // The same check refuses the raw extract's 15-character NIRs: it has teeth.
  assert.ok(schemaErrors(raw, 'snds/IR_BEN_R.csv') > 0);
});

test('the keyed extract is deterministic across threads, and names its key without holding it', () => {
  for (const f of [...dataFiles(keyed), 'ground-truth.json', 'manifest.json'])
    assert.equal(sha256(join(keyedInThread.dir, f)), sha256(join(keyed.dir, f)), f);
  const manifest = JSON.parse(readFileSync(join(keyed.dir, 'manifest.json'), 'utf8')) as {
    identifiers: { kind: string; keyId?: string };
    options: Record<string, unknown>;
  };
  assert.equal(manifest.identifiers.kind, 'nir-source-pseudonym');
  assert.equal(manifest.identifiers.keyId, readSourceKey(sourceKeyFile).keyId);
  assert.equal(manifest.options.sourceKeyFile, undefined);
  // The key itself appears in no output file.
  const forms = [key.toString('base64'), key.toString('hex'), key.toString('hex').toUpperCase()];
  for (const f of [...dataFiles(keyed), 'ground-truth.json', 'manifest.json']) {
    const text = readFileSync(join(keyed.dir, f), 'utf8');
    assert.ok(!forms.some((s) => text.includes(s)), f);
  }
});

test('a source key file other users can read is refused before anything is written', async () => {
  const loose = join(keysDir, 'loose.key');
  exportSourceKey(createKeyFile(join(keysDir, 'other', 'master.key')), loose);
  chmodSync(loose, 0o644);
  const out = join(keysDir, 'refused');
  await assert.rejects(
    synthesise({
      persons: 10,
      from: 2024,
      to: 2024,
      seed: 'x',
      format: 'snds',
      out,
      sourceKeyFile: loose,
    }),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.message.includes('chmod 600'),
  );
  assert.deepEqual(readdirSync(keysDir).includes('refused'), false);
});
