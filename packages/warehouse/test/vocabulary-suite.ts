/*
 * The vocabulary loader on one engine (run for DuckDB by vocabulary-loader.test.ts, for PostgreSQL
 * by postgres-vocabulary.test.ts). The fixture vocabulary (test/fixtures/vocabulary, Athena format) holds these `Is a` hierarchies:
 *
 *   CIM-10  E00-E90 (…01) ← E10-E14 (…02) ← E11 (…03) ← E11.9 (…04), E11.5 (…05)
 *                                         ← E10 (…06) ← E10.9 (…07)
 *           E11.8 (…08, deprecated concept) Is a E11          → ignored
 *           E11.5 Is a E10 (deprecated relationship)          → ignored
 *           I00-I99 (…10) ← I10-I15 (…11) ← I10 (…12)
 *           J00-J99 (…20) ← J09-J18 (…21) ← J10 (…22) ← J10.1 (…23), J10.8 (…24)
 *   ATC     A (2000200001) ← A10 (…02) ← A10B (…03) ← A10BA (…04) ← A10BA02 (…05) ← pack
 *                                      ← A10A (…06)
 *   CIP13   pack 3400930000001 (2000300001) Is a A10BA02 and also, directly, Is a A10
 *   INSEE   84 (2000400001) ← 69 (…02), 38 (…03);  11 (…04) ← 75 (…05)
 *
 * By hand: 27 concepts take part in a hierarchy (27 reflexive rows) and there are 46
 * ancestor–descendant pairs (CIM-10 14 + 3 + 9, ATC/CIP 17, INSEE 3): 73 rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import { loadVocabulary, migrate, rebuildConceptAncestor, warehouseSummary } from '../src/index.js';
import type { WarehouseEngine } from '../src/index.js';
import { FIXTURE_VOCABULARY, tempDir } from './warehouse-test-helpers.js';

/** Registers the vocabulary tests for one engine; `openEngine` gives a fresh, empty one. */
export function vocabularySuite(name: string, openEngine: () => Promise<WarehouseEngine>): void {
  describe(`[${name}] vocabulary loading`, () => {
    let engine: WarehouseEngine;
    const tmp = tempDir('hygie-vocab-');
    before(async () => {
      engine = await openEngine();
      await migrate(engine);
    });
    after(async () => {
      await engine.close();
      tmp.cleanup();
    });

    async function levels(ancestor: number, descendant: number): Promise<[number, number] | null> {
      const rows = await engine.query<{ min: number; max: number }>(
        `SELECT min_levels_of_separation AS min, max_levels_of_separation AS max FROM concept_ancestor
         WHERE ancestor_concept_id = $1 AND descendant_concept_id = $2`,
        [ancestor, descendant],
      );
      assert.ok(rows.length <= 1, 'one row per pair');
      return rows[0] ? [rows[0].min, rows[0].max] : null;
    }

    test('loads the fixture vocabulary', async () => {
      const report = await loadVocabulary(engine, FIXTURE_VOCABULARY);
      assert.deepEqual(
        { ...report, durationMs: 0 },
        {
          vocabularies: 4,
          concepts: 32,
          relationships: 48,
          ancestors: 73,
          durationMs: 0,
        },
      );
      const [quoted] = await engine.query(
        `SELECT concept_name, standard_concept, invalid_reason, valid_start_date, valid_end_date
         FROM concept WHERE concept_code = $1`,
        ['J10.8'],
      );
      assert.deepEqual(quoted, {
        concept_name: 'Grippe "saisonnière" avec d\'autres manifestations',
        standard_concept: 'S',
        invalid_reason: null,
        valid_start_date: '1970-01-01',
        valid_end_date: '2099-12-31',
      });
      const [vocab] = await engine.query(`SELECT * FROM vocabulary WHERE vocabulary_id = 'CIM10'`);
      assert.deepEqual(vocab, {
        vocabulary_id: 'CIM10',
        vocabulary_name: 'Classification internationale des maladies, 10e révision (ATIH)',
        vocabulary_reference: 'ATIH',
        vocabulary_version: 'CIM-10 FR 2024',
        vocabulary_concept_id: 2000000000,
      });
    });

    test('concept_ancestor: levels along the CIM-10 chapter → block → category → code chain', async () => {
      assert.deepEqual(await levels(2000100001, 2000100004), [3, 3]); // E00-E90 → E11.9
      assert.deepEqual(await levels(2000100002, 2000100004), [2, 2]); // E10-E14 → E11.9
      assert.deepEqual(await levels(2000100003, 2000100004), [1, 1]); // E11 → E11.9
      assert.deepEqual(await levels(2000100001, 2000100007), [3, 3]); // E00-E90 → E10.9
      assert.deepEqual(await levels(2000100020, 2000100024), [3, 3]); // J00-J99 → J10.8
      assert.equal(await levels(2000100004, 2000100003), null, 'no upward pairs');
      assert.equal(await levels(2000100003, 2000100007), null, 'E11 is not an ancestor of E10.9');
    });

    test('concept_ancestor: five ATC levels, and min ≠ max where two paths join', async () => {
      assert.deepEqual(await levels(2000200001, 2000200005), [4, 4]); // A → A10BA02
      assert.deepEqual(await levels(2000200002, 2000300001), [1, 4]); // A10 → pack: direct, or via 3 classes
      assert.deepEqual(await levels(2000200001, 2000300001), [2, 5]); // A → pack
      assert.deepEqual(await levels(2000200004, 2000300001), [2, 2]); // A10BA → pack
      assert.equal(await levels(2000200006, 2000300001), null, 'A10A is a sibling branch');
      assert.deepEqual(await levels(2000400001, 2000400002), [1, 1]); // région 84 → Rhône
      assert.equal(await levels(2000400001, 2000400005), null, 'Paris is not in 84');
    });

    test('concept_ancestor: reflexive rows for hierarchy members only; invalid data ignored', async () => {
      assert.deepEqual(await levels(2000100004, 2000100004), [0, 0]);
      assert.deepEqual(await levels(2000300001, 2000300001), [0, 0]);
      assert.equal(
        await levels(2000000000, 2000000000),
        null,
        'a vocabulary concept is in no hierarchy',
      );
      assert.equal(await levels(2000100008, 2000100008), null, 'deprecated concept');
      assert.equal(await levels(2000100003, 2000100008), null, 'deprecated concept');
      assert.equal(await levels(2000100006, 2000100005), null, 'deprecated relationship');
      const [r] = await engine.query<{ reflexive: number; members: number }>(
        `SELECT count(*) FILTER (WHERE min_levels_of_separation = 0) AS reflexive,
                count(DISTINCT descendant_concept_id) AS members FROM concept_ancestor`,
      );
      assert.deepEqual(r, { reflexive: 27, members: 27 });
    });

    test('reloading replaces the content; a failed reload leaves the previous vocabulary intact', async () => {
      const again = await loadVocabulary(engine, FIXTURE_VOCABULARY);
      assert.equal(again.concepts, 32);
      assert.equal(again.ancestors, 73);

      // A copy whose concept file breaks on its last line: the whole load must roll back.
      const broken = join(tmp.dir, 'broken');
      cpSync(FIXTURE_VOCABULARY, broken, { recursive: true });
      const conceptFile = join(broken, 'concept.csv');
      writeFileSync(
        conceptFile,
        `${readFileSync(conceptFile, 'utf8')}2000999999\tX\tCondition\tCIM10\tICD10 code\tS\tZ99\t19700101\t2099-12-31\t\n`,
      );
      await assert.rejects(loadVocabulary(engine, broken), (e) => {
        assert.ok(isHygieError(e, 'HYG_SCHEMA_VIOLATION'));
        assert.match(
          e.message,
          /concept\.csv into concept failed at line 34: column "valid_end_date" is not a valid DATE/,
        );
        return true;
      });
      const summary = await warehouseSummary(engine);
      const rows = Object.fromEntries(summary.tables.map((t) => [t.table, t.rows]));
      assert.deepEqual(
        [
          rows['vocabulary'],
          rows['concept'],
          rows['concept_relationship'],
          rows['concept_ancestor'],
        ],
        [4, 32, 48, 73],
      );
    });

    test('files are found by OMOP or Athena name and their headers are checked', async () => {
      const upper = join(tmp.dir, 'upper');
      cpSync(FIXTURE_VOCABULARY, upper, { recursive: true });
      for (const t of ['concept', 'concept_relationship', 'vocabulary']) {
        cpSync(join(upper, `${t}.csv`), join(upper, `${t.toUpperCase()}.csv`));
      }
      // Upper-case names are what Athena ships; the lower-case copies are then looked up first.
      assert.equal((await loadVocabulary(engine, upper)).concepts, 32);

      const shuffled = join(tmp.dir, 'shuffled');
      cpSync(FIXTURE_VOCABULARY, shuffled, { recursive: true });
      const f = join(shuffled, 'vocabulary.csv');
      writeFileSync(
        f,
        readFileSync(f, 'utf8').replace(
          'vocabulary_id\tvocabulary_name',
          'vocabulary_name\tvocabulary_id',
        ),
      );
      await assert.rejects(loadVocabulary(engine, shuffled), (e) =>
        isHygieError(e, 'HYG_SCHEMA_VIOLATION'),
      );
      await assert.rejects(loadVocabulary(engine, join(tmp.dir, 'none')), (e) =>
        isHygieError(e, 'HYG_NOT_FOUND'),
      );
    });

    test('a cycle in the Is a relationships is refused, and the transaction rolls back', async () => {
      await assert.rejects(
        engine.transaction(async (tx) => {
          // A Is a pack, while pack Is a A10 Is a A: a cycle.
          await tx.execute(
            `INSERT INTO concept_relationship
             VALUES (2000200001, 2000300001, 'Is a', DATE '1970-01-01', DATE '2099-12-31', NULL)`,
          );
          await rebuildConceptAncestor(tx);
        }),
        (e) => isHygieError(e, 'HYG_SCHEMA_VIOLATION') && /cycle/.test(e.message),
      );
      const rows = Object.fromEntries(
        (await warehouseSummary(engine)).tables.map((t) => [t.table, t.rows]),
      );
      assert.deepEqual([rows['concept_relationship'], rows['concept_ancestor']], [48, 73]);
    });
  });
}
