#!/usr/bin/env node
// Builds the OMOP-format vocabulary files Hygie ships (packages/reference/data/vocabulary/):
// concept.csv, concept_relationship.csv and vocabulary.csv, tab-separated like an OHDSI Athena
// download (header line, no quoting, dates YYYYMMDD, OMOP CDM v5.4 column order).
//
// Usage:
//   node scripts/build-vocabulary.mjs [REFERENCE_DIR] [--out DIR] [--curated DIR]
//
//   REFERENCE_DIR  the shared reference data (default: ../shared/reference relative to the repo
//                  root); the SNDS nomenclatures are read from REFERENCE_DIR/snds-schemas/nomenclatures
//                  (IR_CIM_V, IR_CCAM_V63, IR_CIP_V, IR_DPT_V, IR_REG_V).
//   --out DIR      where to write the three files (default: packages/reference/data/vocabulary).
//   --curated DIR  the hand-curated inputs (default: packages/reference/data/curated).
// Other inputs: @etalab/decoupage-administratif (current régions and départements, zones metro/drom).
//
// Concept ids. Site-local concepts use ids >= 2,000,000,000 (the OMOP convention), one block of
// 1,000,000 ids per vocabulary:
//   CIM10       2_000_000_000 ..  chapters, blocks and codes of the French ICD-10
//   ATC         2_001_000_000 ..  WHO ATC levels 1-5 (curated subset)
//   CCAM        2_002_000_000 ..  CCAM procedure codes and their systems (first letter)
//   CIP13       2_003_000_000 ..  drug presentations (IR_CIP_V and the fictional Hygie catalogue)
//   INSEE       2_004_000_000 ..  départements (code 01..95, 2A, 2B, 971..976) and régions (code
//                                 R + INSEE code, e.g. R11, R01: 01..06 are also département codes)
//   LOINC       2_005_000_000 ..  the few lab tests and observations Hygie uses
//   Vocabulary  2_009_000_000 ..  Hygie-internal concepts (one per vocabulary, for vocabulary.csv)
// A handful of standard OMOP concepts (gender, visit, type concept, condition status, 0) keep their
// real OMOP ids (curated/omop-standard.csv).
//
// Stability: when DIR/concept.csv already exists, every (vocabulary_id, concept_code) keeps its id;
// new codes get ids above the current maximum of their vocabulary's block (in sorted order), and a
// local concept that is no longer produced stays in the file, deprecated (invalid_reason 'D'), so
// its id is never reused (its valid_end_date is the day it was first found missing — the only use
// of the clock). The output is sorted, so a rerun on the same inputs gives byte-identical files.
//
// The build fails loudly (exit code 1) when an input breaks an expectation: a 3-character CIM-10
// code outside every block, overlapping blocks, an ATC level-2 class of IR_CIP_V missing from
// atc.csv, a CCAM code whose first letter has no system, a malformed CIP13, and so on.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VALID_START = '19700101';
const VALID_END = '20991231';
const MAX_NAME = 255; // OMOP CDM v5.4: concept_name varchar(255)
const BLOCK_SIZE = 1_000_000;
const BLOCKS = {
  CIM10: 2_000_000_000,
  ATC: 2_001_000_000,
  CCAM: 2_002_000_000,
  CIP13: 2_003_000_000,
  INSEE: 2_004_000_000,
  LOINC: 2_005_000_000,
  Vocabulary: 2_009_000_000,
};
const LOCAL_MIN = 2_000_000_000;

// Values of IR_CIM_V that are not ICD-10 codes ("Valeur inconnue", "Sans objet", "Non précisé").
const CIM_PLACEHOLDERS = new Set(['III', 'XXX', 'ZZZ']);
// Values of IR_CIP_V.PHA_ATC_CLA that are not ATC classes: unknown class, SNDS "W99" (outside the
// ATC classification), placeholder. Such presentations get no `Is a` parent.
const CIP_NON_ATC = new Set(['INC', 'W99', 'III']);
// IR_CCAM_V63 holds a few note lines among the codes (e.g. "NT_09").
const CCAM_NOTE = /^NT_\d+$/;

const CONCEPT_HEADER = [
  'concept_id',
  'concept_name',
  'domain_id',
  'vocabulary_id',
  'concept_class_id',
  'standard_concept',
  'concept_code',
  'valid_start_date',
  'valid_end_date',
  'invalid_reason',
];
const RELATIONSHIP_HEADER = [
  'concept_id_1',
  'concept_id_2',
  'relationship_id',
  'valid_start_date',
  'valid_end_date',
  'invalid_reason',
];
const VOCABULARY_HEADER = [
  'vocabulary_id',
  'vocabulary_name',
  'vocabulary_reference',
  'vocabulary_version',
  'vocabulary_concept_id',
];

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

function check(condition, message) {
  if (!condition) fail(message);
}

/** Code-unit string order: deterministic whatever the locale. */
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseArgs(argv) {
  const opts = {
    reference: resolve(ROOT, '../shared/reference'),
    out: join(ROOT, 'packages/reference/data/vocabulary'),
    curated: join(ROOT, 'packages/reference/data/curated'),
  };
  let positional = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out' || arg === '--curated') {
      const value = argv[++i];
      check(value !== undefined, `${arg} needs a directory`);
      opts[arg.slice(2)] = resolve(value);
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: node scripts/build-vocabulary.mjs [REFERENCE_DIR] [--out DIR] [--curated DIR]',
      );
      process.exit(0);
    } else if (!arg.startsWith('--') && positional === 0) {
      opts.reference = resolve(arg);
      positional++;
    } else {
      fail(`unexpected argument: ${arg}`);
    }
  }
  return opts;
}

/** Reads a `;`-separated CSV file with a header into objects (csv-parse handles the quoting). */
function readCsv(path) {
  check(existsSync(path), `missing input file: ${path}`);
  return parse(readFileSync(path, 'utf8'), {
    delimiter: ';',
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });
}

/**
 * Normalises a label for a tab-separated file: collapses whitespace (tabs, newlines), undoes the
 * doubled quoting of a few IR_CIM_V labels (`"Doigt ""à ressort"""`), and truncates to 255
 * characters (the CDM column width).
 */
let truncatedNames = 0;
function cleanName(raw) {
  let s = String(raw).replace(/\s+/g, ' ').trim();
  if (s.length > 1 && s.startsWith('"') && s.endsWith('"') && s.includes('""')) {
    s = s.slice(1, -1).replace(/""/g, '"');
  }
  if (s.length > MAX_NAME) {
    truncatedNames++;
    s = s.slice(0, MAX_NAME - 1).trimEnd() + '…';
  }
  return s;
}

/** EAN-13 check digit of a 12-digit body (weights 1,3,1,3,… from the left). */
function ean13Check(body12) {
  check(/^\d{12}$/.test(body12), `not a 12-digit EAN body: ${body12}`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/** CIP13 of a CIP7: 34009 + CIP7 + EAN-13 check digit. */
function cip7ToCip13(cip7) {
  const body = `34009${cip7}`;
  return body + ean13Check(body);
}

/** LOINC check digit (mod 10, as published by Regenstrief). */
function loincCheckOk(code) {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  const digits = m[1];
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const fromRight = digits.length - 1 - i;
    let d = Number(digits[i]);
    if (fromRight % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

// ---------------------------------------------------------------------------------------------
// Collected output: concept drafts (without id) and relationships between (vocabulary, code) keys.

const drafts = [];
const draftKeys = new Set();
const relations = []; // { from: key, to: key, kind: 'Is a' | 'Maps to' }

function key(vocabularyId, code) {
  return `${vocabularyId}\t${code}`;
}

function addConcept(c) {
  const k = key(c.vocabulary_id, c.concept_code);
  check(!draftKeys.has(k), `duplicate concept ${c.vocabulary_id} ${c.concept_code}`);
  check(c.concept_name.length > 0, `empty name for ${c.vocabulary_id} ${c.concept_code}`);
  draftKeys.add(k);
  drafts.push({
    valid_start_date: VALID_START,
    valid_end_date: VALID_END,
    invalid_reason: '',
    ...c,
  });
}

function addRelation(fromVocab, fromCode, toVocab, toCode, kind) {
  relations.push({ from: key(fromVocab, fromCode), to: key(toVocab, toCode), kind });
}

// ---------------------------------------------------------------------------------------------
// CIM-10

function parseRange(range, what) {
  const m = /^([A-Z]\d\d)-([A-Z]\d\d)$/.exec(range);
  check(m, `${what}: bad range "${range}"`);
  check(m[1] <= m[2], `${what}: empty range "${range}"`);
  return { start: m[1], end: m[2] };
}

function buildCim10(nomenclatures, curated) {
  const chapters = readCsv(join(curated, 'cim10-chapters.csv')).map((r) => ({
    ...r,
    ...parseRange(r.range, `chapter ${r.chapter}`),
  }));
  check(chapters.length === 22, `cim10-chapters.csv: expected 22 chapters, got ${chapters.length}`);
  const chapterById = new Map(chapters.map((c) => [c.chapter, c]));
  const blocks = readCsv(join(curated, 'cim10-blocks.csv')).map((r) => ({
    ...r,
    ...parseRange(r.block, `block ${r.block}`),
  }));
  for (const b of blocks) {
    const ch = chapterById.get(b.chapter);
    check(ch, `block ${b.block}: unknown chapter ${b.chapter}`);
    check(
      b.start >= ch.start && b.end <= ch.end,
      `block ${b.block} lies outside chapter ${b.chapter} (${ch.range})`,
    );
  }
  const sortedBlocks = [...blocks].sort((a, b) => cmp(a.start, b.start));
  for (let i = 1; i < sortedBlocks.length; i++) {
    const prev = sortedBlocks[i - 1];
    const cur = sortedBlocks[i];
    check(prev.end < cur.start, `CIM-10 blocks overlap: ${prev.block} and ${cur.block}`);
  }
  const sortedChapters = [...chapters].sort((a, b) => cmp(a.start, b.start));
  for (let i = 1; i < sortedChapters.length; i++) {
    const prev = sortedChapters[i - 1];
    const cur = sortedChapters[i];
    check(prev.end < cur.start, `CIM-10 chapters overlap: ${prev.chapter} and ${cur.chapter}`);
  }

  const labels = new Map();
  let placeholders = 0;
  for (const r of readCsv(join(nomenclatures, 'IR_CIM_V.csv'))) {
    const code = r.CIM_COD.trim();
    if (CIM_PLACEHOLDERS.has(code)) {
      placeholders++;
      continue;
    }
    check(/^[A-Z]\d\d[0-9A-Z]{0,3}$/.test(code), `IR_CIM_V: unexpected code "${code}"`);
    check(!labels.has(code), `IR_CIM_V: duplicate code ${code}`);
    labels.set(code, cleanName(r.CIM_LIB));
  }
  let added = 0;
  for (const r of readCsv(join(curated, 'cim10-additions.csv'))) {
    check(/^[A-Z]\d\d[0-9A-Z]{0,3}$/.test(r.code), `cim10-additions.csv: bad code "${r.code}"`);
    if (!labels.has(r.code)) added++;
    labels.set(r.code, cleanName(r.label));
  }

  const codes = [...labels.keys()].sort(cmp);
  const hasChildren = new Set();
  const parentOf = new Map();
  for (const code of codes) {
    if (code.length === 3) continue;
    check(labels.has(code.slice(0, 3)), `CIM-10 code ${code} has no 3-character category`);
    let parent = '';
    for (let len = code.length - 1; len >= 3 && !parent; len--) {
      if (labels.has(code.slice(0, len))) parent = code.slice(0, len);
    }
    parentOf.set(code, parent);
    hasChildren.add(parent);
  }
  const blockOf = new Map();
  for (const code of codes) {
    if (code.length !== 3) continue;
    const found = blocks.filter((b) => code >= b.start && code <= b.end);
    check(found.length > 0, `CIM-10 category ${code} (${labels.get(code)}) falls in no block`);
    check(found.length === 1, `CIM-10 category ${code} falls in several blocks`);
    blockOf.set(code, found[0].block);
  }

  for (const ch of chapters) {
    addConcept({
      concept_name: cleanName(ch.label),
      domain_id: 'Condition',
      vocabulary_id: 'CIM10',
      concept_class_id: 'ICD10 Chapter',
      standard_concept: 'C',
      concept_code: ch.chapter,
    });
  }
  for (const b of blocks) {
    addConcept({
      concept_name: cleanName(b.label),
      domain_id: 'Condition',
      vocabulary_id: 'CIM10',
      concept_class_id: 'ICD10 Hierarchy',
      standard_concept: 'C',
      concept_code: b.block,
    });
    addRelation('CIM10', b.block, 'CIM10', b.chapter, 'Is a');
  }
  for (const code of codes) {
    addConcept({
      concept_name: labels.get(code),
      domain_id: 'Condition',
      vocabulary_id: 'CIM10',
      concept_class_id:
        code.length === 3 && hasChildren.has(code) ? '3-char nonbill code' : 'ICD10 code',
      standard_concept: 'S',
      concept_code: code,
    });
    if (code.length === 3) addRelation('CIM10', code, 'CIM10', blockOf.get(code), 'Is a');
    else addRelation('CIM10', code, 'CIM10', parentOf.get(code), 'Is a');
  }
  return {
    chapters: chapters.length,
    blocks: blocks.length,
    codes: codes.length,
    placeholders,
    added,
  };
}

// ---------------------------------------------------------------------------------------------
// ATC

const ATC_PATTERNS = [
  /^[A-Z]$/,
  /^[A-Z]\d\d$/,
  /^[A-Z]\d\d[A-Z]$/,
  /^[A-Z]\d\d[A-Z]{2}$/,
  /^[A-Z]\d\d[A-Z]{2}\d\d$/,
];
const ATC_PARENT_LENGTH = [0, 1, 3, 4, 5];
const ATC_CLASSES = ['ATC 1st', 'ATC 2nd', 'ATC 3rd', 'ATC 4th', 'ATC 5th'];

function buildAtc(curated) {
  const rows = readCsv(join(curated, 'atc.csv'));
  const levelOf = new Map();
  for (const r of rows) {
    const level = Number(r.level);
    check(level >= 1 && level <= 5, `atc.csv: bad level for ${r.code}`);
    check(
      ATC_PATTERNS[level - 1].test(r.code),
      `atc.csv: ${r.code} is not a level-${level} ATC code`,
    );
    check(!levelOf.has(r.code), `atc.csv: duplicate ${r.code}`);
    check(r.label_en.trim() !== '', `atc.csv: no label for ${r.code}`);
    levelOf.set(r.code, level);
  }
  const level1 = [...levelOf]
    .filter(([, l]) => l === 1)
    .map(([c]) => c)
    .sort(cmp)
    .join('');
  check(
    level1 === 'ABCDGHJLMNPRSV',
    `atc.csv: the 14 anatomical main groups are not all there (${level1})`,
  );
  const sorted = [...rows].sort((a, b) => cmp(a.code, b.code));
  for (const r of sorted) {
    const level = levelOf.get(r.code);
    addConcept({
      concept_name: cleanName(r.label_en),
      domain_id: 'Drug',
      vocabulary_id: 'ATC',
      concept_class_id: ATC_CLASSES[level - 1],
      standard_concept: 'C',
      concept_code: r.code,
    });
    if (level > 1) {
      const parent = r.code.slice(0, ATC_PARENT_LENGTH[level - 1]);
      check(levelOf.get(parent) === level - 1, `atc.csv: ${r.code} has no parent ${parent}`);
      addRelation('ATC', r.code, 'ATC', parent, 'Is a');
    }
  }
  return levelOf;
}

// ---------------------------------------------------------------------------------------------
// CIP13

function buildCip13(nomenclatures, curated, atcLevels) {
  const seen = new Set();
  let fromSnds = 0;
  let withoutAtc = 0;
  let skipped = 0;
  const sndsRows = [];
  for (const r of readCsv(join(nomenclatures, 'IR_CIP_V.csv'))) {
    const cip7 = r.PHA_PRS_IDE.trim();
    if (r.TEC_COL !== '0') {
      skipped++; // technical rows ("valeur inconnue")
      continue;
    }
    check(/^\d{7}$/.test(cip7), `IR_CIP_V: bad CIP7 "${cip7}"`);
    const atc2 = r.PHA_ATC_CLA.trim();
    if (!CIP_NON_ATC.has(atc2)) {
      check(
        atcLevels.get(atc2) === 2,
        `IR_CIP_V: ATC class ${atc2} (CIP7 ${cip7}) is missing from atc.csv`,
      );
    }
    sndsRows.push({ cip13: cip7ToCip13(cip7), atc2 });
  }
  sndsRows.sort((a, b) => cmp(a.cip13, b.cip13));
  for (const { cip13, atc2 } of sndsRows) {
    check(!seen.has(cip13), `IR_CIP_V: duplicate CIP13 ${cip13}`);
    seen.add(cip13);
    addConcept({
      concept_name: `CIP ${cip13}`,
      domain_id: 'Drug',
      vocabulary_id: 'CIP13',
      concept_class_id: 'Drug Product',
      standard_concept: 'S',
      concept_code: cip13,
    });
    fromSnds++;
    if (CIP_NON_ATC.has(atc2)) withoutAtc++;
    else addRelation('CIP13', cip13, 'ATC', atc2, 'Is a');
  }

  const products = readCsv(join(curated, 'drug-products.csv'));
  products.sort((a, b) => cmp(a.cip13, b.cip13));
  for (const p of products) {
    check(
      /^340099\d{7}$/.test(p.cip13),
      `drug-products.csv: ${p.cip13} is not in the fictional range 34009 9xxxxxx`,
    );
    check(
      ean13Check(p.cip13.slice(0, 12)) === p.cip13[12],
      `drug-products.csv: wrong check digit in ${p.cip13}`,
    );
    check(!seen.has(p.cip13), `drug-products.csv: ${p.cip13} duplicates another CIP13`);
    check(
      atcLevels.get(p.atc5) === 5,
      `drug-products.csv: ${p.cip13} has unknown ATC level-5 code ${p.atc5}`,
    );
    check(
      p.label.trim() !== '' && p.form.trim() !== '',
      `drug-products.csv: ${p.cip13} lacks a label or form`,
    );
    for (const field of [p.label, p.form]) {
      check(!/[;"\t\n]/.test(field), `drug-products.csv: ${p.cip13} has a field with ; " or a tab`);
    }
    seen.add(p.cip13);
    addConcept({
      concept_name: cleanName(p.label),
      domain_id: 'Drug',
      vocabulary_id: 'CIP13',
      concept_class_id: 'Drug Product',
      standard_concept: 'S',
      concept_code: p.cip13,
    });
    addRelation('CIP13', p.cip13, 'ATC', p.atc5, 'Is a');
  }
  return { fromSnds, withoutAtc, skipped, fictional: products.length };
}

// ---------------------------------------------------------------------------------------------
// CCAM

function buildCcam(nomenclatures, curated) {
  const systems = readCsv(join(curated, 'ccam-systems.csv'));
  const systemLetters = new Set();
  for (const s of systems) {
    check(/^[A-Z]$/.test(s.letter), `ccam-systems.csv: bad letter "${s.letter}"`);
    check(!systemLetters.has(s.letter), `ccam-systems.csv: duplicate ${s.letter}`);
    systemLetters.add(s.letter);
  }
  const labels = new Map();
  const notes = [];
  for (const r of readCsv(join(nomenclatures, 'IR_CCAM_V63.csv'))) {
    // A few codes carry a bracketed marker on a second line ("JANH798\n[A]"): keep the code.
    const code = r.CAM_PRS_IDE_COD.split('\n')[0].trim();
    if (CCAM_NOTE.test(code)) {
      notes.push(code);
      continue;
    }
    check(/^[A-Z]{4}\d{3}$/.test(code), `IR_CCAM_V63: unexpected code "${r.CAM_PRS_IDE_COD}"`);
    check(!labels.has(code), `IR_CCAM_V63: duplicate code ${code}`);
    check(
      systemLetters.has(code[0]),
      `IR_CCAM_V63: no CCAM system for first letter ${code[0]} (${code})`,
    );
    labels.set(code, cleanName(r.CAM_PRS_IDE_LIB));
  }
  const usedLetters = new Set([...labels.keys()].map((c) => c[0]));
  for (const s of [...systems].sort((a, b) => cmp(a.letter, b.letter))) {
    if (!usedLetters.has(s.letter)) continue;
    addConcept({
      concept_name: cleanName(s.label),
      domain_id: 'Procedure',
      vocabulary_id: 'CCAM',
      concept_class_id: 'CCAM system',
      standard_concept: 'C',
      concept_code: s.letter,
    });
  }
  for (const code of [...labels.keys()].sort(cmp)) {
    addConcept({
      concept_name: labels.get(code),
      domain_id: 'Procedure',
      vocabulary_id: 'CCAM',
      concept_class_id: 'CCAM code',
      standard_concept: 'S',
      concept_code: code,
    });
    addRelation('CCAM', code, 'CCAM', code[0], 'Is a');
  }
  return { codes: labels.size, systems: usedLetters.size, notes };
}

// ---------------------------------------------------------------------------------------------
// INSEE geography

/** SNDS 3-character département code of an INSEE code: 01 -> 001, 2A -> 02A, 971 -> 971. */
function sndsDepartement(code) {
  return code.length === 2 ? `0${code}` : code;
}

/**
 * Concept code of a région. Région codes 01-06 (overseas) collide with département codes 01-06,
 * and (vocabulary_id, concept_code) must be unique, so région codes carry an `R` prefix: R11, R01.
 */
function regionCode(code) {
  return `R${code}`;
}

function buildGeography(nomenclatures, curated) {
  const require = createRequire(import.meta.url);
  const etalabDir = resolve(require.resolve('@etalab/decoupage-administratif/package.json'), '..');
  const etalabVersion = JSON.parse(readFileSync(join(etalabDir, 'package.json'), 'utf8')).version;
  const inZone = (x) => x.zone === 'metro' || x.zone === 'drom';
  const regions = JSON.parse(readFileSync(join(etalabDir, 'data/regions.json'), 'utf8')).filter(
    inZone,
  );
  const departements = JSON.parse(
    readFileSync(join(etalabDir, 'data/departements.json'), 'utf8'),
  ).filter(inZone);
  check(
    regions.length === 18,
    `expected 18 régions in @etalab/decoupage-administratif, got ${regions.length}`,
  );
  check(departements.length === 101, `expected 101 départements, got ${departements.length}`);
  const regionCodes = new Set(regions.map((r) => r.code));

  // Cross-check the SNDS tables: every current département is in IR_DPT_V (3-character code) with
  // the same (current) région.
  const dpt = new Map(readCsv(join(nomenclatures, 'IR_DPT_V.csv')).map((r) => [r.GEO_DPT_COD, r]));
  for (const d of departements) {
    check(regionCodes.has(d.region), `département ${d.code}: unknown région ${d.region}`);
    const snds = dpt.get(sndsDepartement(d.code));
    check(snds, `IR_DPT_V has no row for département ${d.code} (${sndsDepartement(d.code)})`);
    check(
      Number(snds.GEO_REG_COD) === Number(d.region),
      `IR_DPT_V puts département ${d.code} in région ${snds.GEO_REG_COD}, INSEE in ${d.region}`,
    );
  }
  const snRegions = new Set(
    readCsv(join(nomenclatures, 'IR_REG_V.csv')).map((r) => Number(r.GEO_REG_COD)),
  );
  for (const r of regions) check(snRegions.has(Number(r.code)), `IR_REG_V lacks région ${r.code}`);

  for (const r of [...regions].sort((a, b) => cmp(a.code, b.code))) {
    addConcept({
      concept_name: r.nom,
      domain_id: 'Geography',
      vocabulary_id: 'INSEE',
      concept_class_id: 'Region',
      standard_concept: 'S',
      concept_code: regionCode(r.code),
    });
  }
  for (const d of [...departements].sort((a, b) => cmp(a.code, b.code))) {
    addConcept({
      concept_name: d.nom,
      domain_id: 'Geography',
      vocabulary_id: 'INSEE',
      concept_class_id: 'Departement',
      standard_concept: 'S',
      concept_code: d.code,
    });
    addRelation('INSEE', d.code, 'INSEE', regionCode(d.region), 'Is a');
  }

  // The régions before the 2016 reform, still found in older SNDS data: non-standard, upgraded
  // ('U'), each `Maps to` the current région that absorbed it.
  const old = readCsv(join(curated, 'regions-2015.csv')).sort((a, b) => cmp(a.code, b.code));
  for (const r of old) {
    check(
      /^\d\d$/.test(r.code) && !regionCodes.has(r.code),
      `regions-2015.csv: bad or current code ${r.code}`,
    );
    check(snRegions.has(Number(r.code)), `regions-2015.csv: ${r.code} is not in IR_REG_V`);
    check(
      regionCodes.has(r.region_2016),
      `regions-2015.csv: ${r.code} maps to unknown région ${r.region_2016}`,
    );
    addConcept({
      concept_name: `${cleanName(r.label)} (région avant 2016)`,
      domain_id: 'Geography',
      vocabulary_id: 'INSEE',
      concept_class_id: 'Region',
      standard_concept: '',
      concept_code: regionCode(r.code),
      valid_end_date: '20151231',
      invalid_reason: 'U',
    });
    addRelation('INSEE', regionCode(r.code), 'INSEE', regionCode(r.region_2016), 'Maps to');
  }
  return {
    regions: regions.length,
    departements: departements.length,
    old: old.length,
    etalabVersion,
  };
}

// ---------------------------------------------------------------------------------------------
// LOINC and standard OMOP concepts

function buildLoinc(curated) {
  const rows = readCsv(join(curated, 'loinc.csv')).sort((a, b) => cmp(a.loinc, b.loinc));
  for (const r of rows) {
    check(
      loincCheckOk(r.loinc),
      `loinc.csv: ${r.loinc} is not a well-formed LOINC code (check digit)`,
    );
    check(
      ['Lab Test', 'Clinical Observation'].includes(r.class),
      `loinc.csv: bad class for ${r.loinc}`,
    );
    check(
      !/[;"\t\n]/.test(r.long_common_name + r.unit),
      `loinc.csv: ${r.loinc} has a field with ; " or a tab`,
    );
    addConcept({
      concept_name: cleanName(r.long_common_name),
      domain_id: 'Measurement',
      vocabulary_id: 'LOINC',
      concept_class_id: r.class,
      standard_concept: 'S',
      concept_code: r.loinc,
    });
  }
  return rows.length;
}

function buildOmopStandard(curated) {
  const rows = readCsv(join(curated, 'omop-standard.csv'));
  for (const r of rows) {
    const id = Number(r.concept_id);
    check(
      Number.isInteger(id) && id >= 0 && id < LOCAL_MIN,
      `omop-standard.csv: bad id ${r.concept_id}`,
    );
    addConcept({
      fixedId: id,
      concept_name: r.concept_name,
      domain_id: r.domain_id,
      vocabulary_id: r.vocabulary_id,
      concept_class_id: r.concept_class_id,
      standard_concept: r.standard_concept,
      concept_code: r.concept_code,
    });
  }
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Vocabularies (vocabulary.csv and one Hygie-internal concept per vocabulary)

function vocabularies(sndsCommit, etalabVersion) {
  const snds = `schema-snds ${sndsCommit}`;
  const ref = 'https://gitlab.com/healthdatahub/schema-snds (GitHub mirror indsante/schema-snds)';
  return [
    [
      'ATC',
      'WHO Anatomical Therapeutic Chemical Classification (Hygie subset)',
      'https://atcddd.fhi.no/atc_ddd_index/',
      'Hygie curated subset',
    ],
    [
      'CCAM',
      'Classification commune des actes médicaux (SNDS IR_CCAM_V63)',
      ref,
      `${snds} IR_CCAM_V63`,
    ],
    [
      'CIM10',
      'CIM-10, Classification internationale des maladies, 10e révision (SNDS IR_CIM_V)',
      ref,
      `${snds} IR_CIM_V + Hygie curated`,
    ],
    [
      'CIP13',
      'Codes CIP13 des présentations de médicaments (SNDS IR_CIP_V + catalogue fictif Hygie)',
      ref,
      `${snds} IR_CIP_V + Hygie catalogue`,
    ],
    ['Condition Status', 'OMOP Condition Status', 'OMOP generated', 'Hygie subset'],
    ['Gender', 'OMOP Gender', 'OMOP generated', 'Hygie subset'],
    [
      'INSEE',
      'INSEE Code officiel géographique: régions et départements',
      'https://www.insee.fr/fr/information/2560452',
      `@etalab/decoupage-administratif ${etalabVersion}`,
    ],
    [
      'LOINC',
      'Logical Observation Identifiers Names and Codes (Hygie subset)',
      'https://loinc.org',
      'Hygie curated subset',
    ],
    ['None', 'OMOP Standardized Vocabularies', 'OMOP generated', 'Hygie subset'],
    ['Type Concept', 'OMOP Type Concept', 'OMOP generated', 'Hygie subset'],
    ['Visit', 'OMOP Visit', 'OMOP generated', 'Hygie subset'],
    ['Vocabulary', 'OMOP Vocabulary', 'OMOP generated', 'Hygie subset'],
  ].map(([id, name, reference, version]) => ({ id, name, reference, version }));
}

// ---------------------------------------------------------------------------------------------
// Id allocation, relationships, output

function readExisting(path) {
  const existing = new Map();
  if (!existsSync(path)) return existing;
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  check(lines[0] === CONCEPT_HEADER.join('\t'), `${path}: unexpected header`);
  for (const line of lines.slice(1)) {
    const f = line.split('\t');
    check(f.length === CONCEPT_HEADER.length, `${path}: bad line ${line}`);
    const row = Object.fromEntries(CONCEPT_HEADER.map((h, i) => [h, f[i]]));
    row.concept_id = Number(row.concept_id);
    existing.set(key(row.vocabulary_id, row.concept_code), row);
  }
  return existing;
}

function today() {
  return new Date().toISOString().slice(0, 10).replaceAll('-', '');
}

function allocate(existing) {
  const next = {};
  for (const [vocab, base] of Object.entries(BLOCKS)) next[vocab] = base;
  for (const row of existing.values()) {
    const base = BLOCKS[row.vocabulary_id];
    if (row.concept_id < LOCAL_MIN) continue;
    check(
      base !== undefined && row.concept_id >= base && row.concept_id < base + BLOCK_SIZE,
      `existing concept ${row.concept_id} (${row.vocabulary_id} ${row.concept_code}) is outside its vocabulary's id block`,
    );
    next[row.vocabulary_id] = Math.max(next[row.vocabulary_id], row.concept_id + 1);
  }
  const rows = [];
  const produced = new Set();
  for (const d of drafts) {
    const k = key(d.vocabulary_id, d.concept_code);
    produced.add(k);
    let id;
    if (d.fixedId !== undefined) {
      id = d.fixedId;
    } else {
      const base = BLOCKS[d.vocabulary_id];
      check(base !== undefined, `no id block for vocabulary ${d.vocabulary_id}`);
      const old = existing.get(k);
      if (old && old.concept_id >= LOCAL_MIN) id = old.concept_id;
      else {
        id = next[d.vocabulary_id]++;
        check(id < base + BLOCK_SIZE, `id block of ${d.vocabulary_id} is full`);
      }
    }
    const row = { ...d, concept_id: id };
    delete row.fixedId;
    rows.push(row);
  }
  // Local concepts that are no longer produced stay, deprecated, so their ids are never reused.
  let deprecated = 0;
  for (const [k, old] of existing) {
    if (produced.has(k) || old.concept_id < LOCAL_MIN) continue;
    deprecated++;
    rows.push({
      ...old,
      standard_concept: '',
      valid_end_date: old.invalid_reason === 'D' ? old.valid_end_date : today(),
      invalid_reason: 'D',
    });
  }
  const ids = new Set();
  for (const r of rows) {
    check(!ids.has(r.concept_id), `concept_id ${r.concept_id} allocated twice`);
    ids.add(r.concept_id);
  }
  rows.sort((a, b) => a.concept_id - b.concept_id);
  return { rows, deprecated };
}

function relationshipRows(idOf) {
  const out = [];
  const parents = new Map();
  for (const r of relations) {
    const a = idOf.get(r.from);
    const b = idOf.get(r.to);
    check(a !== undefined, `relationship from unknown concept ${r.from}`);
    check(b !== undefined, `relationship to unknown concept ${r.to}`);
    if (r.kind === 'Is a') {
      check(!parents.has(a), `concept ${r.from} has two parents`);
      parents.set(a, b);
      out.push([a, b, 'Is a'], [b, a, 'Subsumes']);
    } else {
      out.push([a, b, 'Maps to'], [b, a, 'Mapped from']);
    }
  }
  // The `Is a` graph must be a forest: walk up from every node.
  for (const start of parents.keys()) {
    const seen = new Set([start]);
    let node = parents.get(start);
    while (node !== undefined) {
      check(!seen.has(node), `cycle in the Is a hierarchy at concept ${node}`);
      seen.add(node);
      node = parents.get(node);
    }
  }
  out.sort((x, y) => x[0] - y[0] || x[1] - y[1] || cmp(x[2], y[2]));
  return out.map(([a, b, rel]) => [a, b, rel, VALID_START, VALID_END, '']);
}

function tsv(header, rows) {
  const lines = [header.join('\t')];
  for (const row of rows) {
    // No quoting in these files: a field must hold no tab, newline or backslash (PostgreSQL's
    // text COPY format reads the backslash as an escape). Quotes are plain characters: read the
    // files with quoting off (DuckDB: quote='', escape='').
    for (const v of row) {
      const s = String(v);
      check(!/[\t\n\r\\]/.test(s), `field with a tab, newline or backslash: ${JSON.stringify(s)}`);
    }
    lines.push(row.join('\t'));
  }
  return lines.join('\n') + '\n';
}

function sndsCommitOf(reference) {
  const readme = join(reference, 'README.md');
  if (!existsSync(readme)) return 'unknown commit';
  const m = /schema-snds, commit ([0-9a-f]{7,40})/.exec(readFileSync(readme, 'utf8'));
  return m ? m[1] : 'unknown commit';
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const nomenclatures = join(opts.reference, 'snds-schemas', 'nomenclatures');
  check(existsSync(nomenclatures), `no SNDS nomenclatures in ${nomenclatures}`);

  const standard = buildOmopStandard(opts.curated);
  const cim = buildCim10(nomenclatures, opts.curated);
  const atc = buildAtc(opts.curated);
  const cip = buildCip13(nomenclatures, opts.curated, atc);
  const ccam = buildCcam(nomenclatures, opts.curated);
  const geo = buildGeography(nomenclatures, opts.curated);
  const loinc = buildLoinc(opts.curated);

  const vocabs = vocabularies(sndsCommitOf(opts.reference), geo.etalabVersion);
  const used = new Set(drafts.map((d) => d.vocabulary_id));
  used.add('Vocabulary');
  for (const v of vocabs) {
    if (!used.has(v.id)) continue;
    addConcept({
      concept_name: v.name,
      domain_id: 'Metadata',
      vocabulary_id: 'Vocabulary',
      concept_class_id: 'Vocabulary',
      standard_concept: '',
      concept_code: v.id,
    });
  }
  for (const id of used)
    check(
      vocabs.some((v) => v.id === id),
      `vocabulary ${id} is not described`,
    );

  mkdirSync(opts.out, { recursive: true });
  const existing = readExisting(join(opts.out, 'concept.csv'));
  const { rows, deprecated } = allocate(existing);
  const idOf = new Map(rows.map((r) => [key(r.vocabulary_id, r.concept_code), r.concept_id]));
  const relRows = relationshipRows(idOf);
  const vocabRows = vocabs
    .filter((v) => used.has(v.id))
    .map((v) => [v.id, v.name, v.reference, v.version, idOf.get(key('Vocabulary', v.id))]);

  writeFileSync(
    join(opts.out, 'concept.csv'),
    tsv(
      CONCEPT_HEADER,
      rows.map((r) => CONCEPT_HEADER.map((h) => r[h])),
    ),
  );
  writeFileSync(join(opts.out, 'concept_relationship.csv'), tsv(RELATIONSHIP_HEADER, relRows));
  writeFileSync(join(opts.out, 'vocabulary.csv'), tsv(VOCABULARY_HEADER, vocabRows));

  const perVocab = {};
  for (const r of rows) perVocab[r.vocabulary_id] = (perVocab[r.vocabulary_id] ?? 0) + 1;
  console.log(`wrote ${rows.length} concepts, ${relRows.length} relationships to ${opts.out}`);
  console.log(
    Object.entries(perVocab)
      .sort((a, b) => cmp(a[0], b[0]))
      .map(([v, n]) => `  ${v}: ${n}`)
      .join('\n'),
  );
  console.log(
    `  CIM10: ${cim.chapters} chapters, ${cim.blocks} blocks, ${cim.codes} codes ` +
      `(${cim.added} added from curated, ${cim.placeholders} placeholder values skipped)`,
  );
  console.log(
    `  CIP13: ${cip.fromSnds} from IR_CIP_V (${cip.withoutAtc} without ATC class, ${cip.skipped} technical rows skipped), ` +
      `${cip.fictional} fictional catalogue products`,
  );
  console.log(
    `  CCAM: ${ccam.codes} codes in ${ccam.systems} systems (notes skipped: ${ccam.notes.join(', ') || 'none'})`,
  );
  console.log(
    `  INSEE: ${geo.regions} régions, ${geo.departements} départements, ${geo.old} pre-2016 régions`,
  );
  console.log(`  LOINC: ${loinc}; standard OMOP concepts: ${standard}`);
  console.log(
    `  names truncated to ${MAX_NAME} characters: ${truncatedNames}; deprecated: ${deprecated}`,
  );
}

try {
  main();
} catch (err) {
  if (err instanceof BuildError) {
    console.error(`build-vocabulary: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
