/**
 * The OMOP CDM v5.4 CSV connector (`hygie ingest --format omop PATH...`): a hospital data
 * warehouse export in OHDSI file names (`person.csv`, `visit_occurrence.csv`, …, also upper-case,
 * `.tsv` or `.txt`), comma- or tab-separated, dates `YYYY-MM-DD` or `YYYYMMDD`.
 *
 * Every identifier of the export (`person_id`, visit and event ids, providers, care sites,
 * locations) is a source identifier: persons are pseudonymised at the border
 * (`omop-persons.ts`), other ids only join rows of the batch, and none is stored. Rows are typed
 * and checked in the engine; bad rows go to quarantine with file, line, field and rule.
 */
import type { Connector, StagedFileCount, StagedTable } from '../connector.js';
import { resolveOmopPersons } from './omop-persons.js';
import { publishOmop } from './omop-publish.js';
import { createOmopStagingTables, stageOmopFile, type StagedOmopFile } from './omop-stage.js';
import { isOmopFile } from './omop-files.js';
import { OMOP_STAGING } from './omop-tables.js';

/** The batch's files: index, path and OMOP table, for locating quarantined rows. */
const FILES_TABLE = 'omop_files';

/** A fresh OMOP connector. */
export function createOmopConnector(): Connector {
  return {
    format: 'omop',
    accepts: isOmopFile,
    async stage(s, files, keys, namespace, onFile) {
      await createOmopStagingTables(s);
      const staged: StagedOmopFile[] = [];
      for (const [index, file] of files.entries()) {
        staged.push(await stageOmopFile(s, file, index));
        onFile(index + 1, files.length);
      }
      await s.execute(
        `CREATE OR REPLACE TEMP TABLE ${FILES_TABLE} (_fi INTEGER, path VARCHAR, source_table VARCHAR)`,
      );
      await s.appendRows(
        FILES_TABLE,
        ['_fi', 'path', 'source_table'],
        staged.map((f) => [f.index, f.file.path, f.table]),
      );
      const persons = await resolveOmopPersons(s, keys, namespace);
      return {
        files: staged.map((f): StagedFileCount => ({
          path: f.file.path,
          sourceTable: f.table,
          read: f.rowsStaged + f.linesRejected,
        })),
        persons,
      };
    },
    stagedTables(): StagedTable[] {
      const path = `(SELECT path FROM ${FILES_TABLE} f WHERE f._fi = t._fi)`;
      return Object.values(OMOP_STAGING).map((spec) => ({
        stage: spec.stage,
        pathSql: path,
        // _row counts the rows the reader accepted: the line adds the header and the lines it
        // rejected before the row (rej_rank: per path, rejected line − its rank − 1).
        lineSql: `t._row + 1 + (SELECT count(*) FROM rej_rank r WHERE r.path = ${path} AND r.thr < t._row)`,
        sourceTableSql: `(SELECT source_table FROM ${FILES_TABLE} f WHERE f._fi = t._fi)`,
      }));
    },
    publish: (s, _keys, batchId, batchNumber, timings?: Record<string, number>) =>
      publishOmop(s, batchId, batchNumber, timings),
  };
}
