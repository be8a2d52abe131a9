import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  atcCodes,
  ccamCodes,
  cim10Codes,
  cip13Check,
  conceptIdOf,
  drugProducts,
  labTests,
  vocabularyConcepts,
  vocabularyDir,
} from '../src/index.js';

// Compiled to packages/reference/dist/test/: the repository root is four levels up.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const referenceDir = join(repoRoot, '..', 'shared', 'reference');
const FILES = ['concept.csv', 'concept_relationship.csv', 'vocabulary.csv'];

interface Relationship {
  id1: number;
  id2: number;
  rel: string;
}

function relationships(): Relationship[] {
  const lines = readFileSync(join(vocabularyDir(), 'concept_relationship.csv'), 'utf8').split('\n');
  assert.equal(
    lines[0],
    'concept_id_1\tconcept_id_2\trelationship_id\tvalid_start_date\tvalid_end_date\tinvalid_reason',
  );
  return lines
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const [a, b, rel] = l.split('\t');
      return { id1: Number(a), id2: Number(b), rel: rel ?? '' };
    });
}

test('the fictional drug catalogue has well-formed CIP13 codes and known ATC level-5 codes', () => {
  const products = drugProducts();
  assert.ok(products.length >= 60);
  const atc = atcCodes();
  const seen = new Set<string>();
  for (const p of products) {
    assert.match(p.cip13, /^340099\d{7}$/, `${p.cip13} is not in the fictional range`);
    assert.equal(cip13Check(p.cip13.slice(0, 12)), p.cip13[12], `check digit of ${p.cip13}`);
    assert.ok(!seen.has(p.cip13), `duplicate ${p.cip13}`);
    seen.add(p.cip13);
    assert.match(p.atc5, /^[A-Z]\d\d[A-Z]{2}\d\d$/);
    assert.ok(atc.has(p.atc5), `${p.atc5} of ${p.cip13} is not in atc.csv`);
    assert.match(p.label, /HYGIE/);
    assert.ok(p.form.length > 0);
    assert.ok(conceptIdOf('CIP13', p.cip13) !== undefined, `${p.cip13} is not a concept`);
  }
  for (const code of ['A10BA02', 'C09DX04', 'J07BX03', 'R06AE07', 'N02AJ06']) {
    assert.ok(
      products.some((p) => p.atc5 === code),
      `no product for ${code}`,
    );
  }
});

test('cip13Check computes the EAN-13 check digit', () => {
  assert.equal(cip13Check('400638133393'), '1'); // textbook EAN-13 4006381333931
  assert.equal(cip13Check('590123412345'), '7'); // 5901234123457
  assert.throws(() => cip13Check('12345'), RangeError);
  assert.throws(() => cip13Check('34009300006A'), RangeError);
});

test('concept ids and (vocabulary_id, concept_code) pairs are unique', () => {
  const concepts = vocabularyConcepts();
  assert.ok(concepts.length > 30000);
  const ids = new Set<number>();
  const codes = new Set<string>();
  for (const c of concepts) {
    assert.ok(Number.isInteger(c.conceptId), `bad id ${c.conceptId}`);
    assert.ok(!ids.has(c.conceptId), `duplicate concept_id ${c.conceptId}`);
    ids.add(c.conceptId);
    const k = `${c.vocabularyId}\t${c.conceptCode}`;
    assert.ok(!codes.has(k), `duplicate code ${k}`);
    codes.add(k);
    assert.ok(c.conceptName.length > 0 && c.conceptName.length <= 255, `name of ${c.conceptId}`);
    assert.match(c.validStartDate, /^\d{8}$/);
    assert.match(c.validEndDate, /^\d{8}$/);
    if (c.conceptId >= 2_000_000_000) assert.notEqual(c.vocabularyId, 'Gender');
  }
  const vocabularies = readFileSync(join(vocabularyDir(), 'vocabulary.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
  const vocabularyIds = new Set(vocabularies.map((v) => v[0]));
  for (const c of concepts) assert.ok(vocabularyIds.has(c.vocabularyId), c.vocabularyId);
  for (const v of vocabularies)
    assert.ok(ids.has(Number(v[4])), `vocabulary_concept_id of ${v[0]}`);
});

test('every relationship joins existing concepts and comes with its reverse', () => {
  const ids = new Set(vocabularyConcepts().map((c) => c.conceptId));
  const rels = relationships();
  assert.ok(rels.length > 0);
  const present = new Set(rels.map((r) => `${r.id1} ${r.id2} ${r.rel}`));
  const reverse: Record<string, string> = {
    'Is a': 'Subsumes',
    Subsumes: 'Is a',
    'Maps to': 'Mapped from',
    'Mapped from': 'Maps to',
  };
  for (const r of rels) {
    assert.ok(ids.has(r.id1), `unknown concept_id_1 ${r.id1}`);
    assert.ok(ids.has(r.id2), `unknown concept_id_2 ${r.id2}`);
    const back = reverse[r.rel];
    assert.ok(back, `unexpected relationship ${r.rel}`);
    assert.ok(
      present.has(`${r.id2} ${r.id1} ${back}`),
      `no reverse for ${r.id1} ${r.rel} ${r.id2}`,
    );
  }
});

test('Is a edges form a forest reaching chapters, ATC main groups and régions', () => {
  const concepts = vocabularyConcepts();
  const byId = new Map(concepts.map((c) => [c.conceptId, c]));
  const parent = new Map<number, number>();
  for (const r of relationships()) {
    if (r.rel !== 'Is a') continue;
    assert.ok(!parent.has(r.id1), `concept ${r.id1} has several parents`);
    parent.set(r.id1, r.id2);
  }
  const root = (id: number) => {
    const seen = new Set([id]);
    let node = id;
    for (let next = parent.get(node); next !== undefined; next = parent.get(node)) {
      assert.ok(!seen.has(next), `cycle through ${next}`);
      seen.add(next);
      node = next;
    }
    const c = byId.get(node);
    assert.ok(c);
    return c;
  };
  let cim = 0;
  let atc5 = 0;
  let departements = 0;
  let regions = 0;
  for (const c of concepts) {
    if (c.invalidReason !== '') continue;
    if (c.vocabularyId === 'CIM10' && c.standardConcept === 'S') {
      cim++;
      assert.equal(root(c.conceptId).conceptClassId, 'ICD10 Chapter', c.conceptCode);
    } else if (c.vocabularyId === 'ATC' && c.conceptClassId === 'ATC 5th') {
      atc5++;
      assert.equal(root(c.conceptId).conceptClassId, 'ATC 1st', c.conceptCode);
    } else if (c.conceptClassId === 'Departement') {
      departements++;
      const r = byId.get(parent.get(c.conceptId) ?? -1);
      assert.equal(r?.conceptClassId, 'Region', c.conceptCode);
      assert.equal(r?.invalidReason, '', c.conceptCode);
    } else if (c.conceptClassId === 'Region') {
      regions++;
    } else if (c.vocabularyId === 'CIP13') {
      const r = root(c.conceptId);
      assert.ok(r.conceptId === c.conceptId || r.conceptClassId === 'ATC 1st', c.conceptCode);
    } else if (c.conceptClassId === 'CCAM code') {
      assert.equal(root(c.conceptId).conceptClassId, 'CCAM system', c.conceptCode);
    }
  }
  assert.ok(cim > 18000, `only ${cim} CIM-10 codes`);
  assert.ok(atc5 >= 61);
  assert.equal(departements, 101);
  assert.equal(regions, 18);
  // The départements of Corsica and the overseas ones sit where they should.
  const regionOf = (dep: string) =>
    byId.get(parent.get(conceptIdOf('INSEE', dep) ?? -1) ?? -1)?.conceptCode;
  assert.equal(regionOf('2A'), 'R94');
  assert.equal(regionOf('976'), 'R06');
  assert.equal(regionOf('75'), 'R11');
});

test('the loader exposes the code sets and the lab tests', () => {
  const cim = cim10Codes();
  for (const code of ['E11', 'E110', 'I10', 'J189', 'U071', 'C50', 'F100', 'M8030', 'S37808']) {
    assert.ok(cim.has(code), `${code} missing`);
  }
  assert.ok(!cim.has('E11.0') && !cim.has('IV') && !cim.has('E10-E14') && !cim.has('ZZZ'));
  assert.equal(
    vocabularyConcepts().find((c) => c.vocabularyId === 'CIM10' && c.conceptCode === 'U071')
      ?.conceptName,
    'COVID-19, virus identifié',
  );
  const ccam = ccamCodes();
  assert.ok(ccam.size > 8000);
  for (const code of ccam) assert.match(code, /^[A-Z]{4}\d{3}$/);
  assert.ok(atcCodes().has('A') && atcCodes().has('V20') && atcCodes().has('C10AA05'));
  const labs = labTests();
  assert.equal(labs.length, 11);
  assert.deepEqual(
    labs.find((l) => l.loinc === '4548-4'),
    { loinc: '4548-4', name: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%' },
  );
  for (const l of labs) assert.ok(conceptIdOf('LOINC', l.loinc) !== undefined, l.loinc);
  assert.equal(conceptIdOf('Gender', 'F'), 8532);
  assert.equal(conceptIdOf('CIM10', 'NOPE'), undefined);
  assert.ok(vocabularyDir().endsWith(join('reference', 'data', 'vocabulary')));
});

test('rerunning the build script gives byte-identical files', (t) => {
  if (!existsSync(join(referenceDir, 'snds-schemas', 'nomenclatures'))) {
    t.skip(`reference data not found at ${referenceDir}: cannot rebuild the vocabulary here`);
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'hygie-vocabulary-'));
  try {
    for (const f of FILES) copyFileSync(join(vocabularyDir(), f), join(out, f));
    const run = spawnSync(
      process.execPath,
      [join(repoRoot, 'scripts', 'build-vocabulary.mjs'), referenceDir, '--out', out],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    for (const f of FILES) {
      assert.ok(
        readFileSync(join(out, f)).equals(readFileSync(join(vocabularyDir(), f))),
        `${f} differs after a rebuild: rerun scripts/build-vocabulary.mjs and commit its output`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
