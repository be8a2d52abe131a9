/**
 * The SNDS extract connector: CSV files named after their table (`IR_BEN_R.csv`, `ER_PRS_F.csv`,
 * `T_MCO19B.csv`, …), validated against the SNDS table schemas, published to the OMOP CDM.
 */
import type { Connector, StagedFileCount, StagedTable } from '../connector.js';
import { IDENT_TABLE } from '../person-map.js';
import { isSndsFile, stageSnds } from './snds-stage.js';
import { publishSnds, sndsIdentifierSql } from './snds-publish.js';
import { SNDS_STAGING } from './snds-tables.js';

/** The SNDS connector. */
export const sndsConnector: Connector = {
  format: 'snds',
  accepts: isSndsFile,
  async stage(s, files, onFile) {
    const staged = await stageSnds(s, files, (done, total) => onFile(done, total));
    await s.execute(`INSERT INTO ${IDENT_TABLE} ${sndsIdentifierSql()}`);
    await s.execute(
      `CREATE OR REPLACE TEMP TABLE batch_files AS SELECT * FROM (VALUES ${staged
        .map(
          (f) =>
            `(${f.index}, ${s.dialect.quoteLiteral(f.file.path)}, ${s.dialect.quoteLiteral(f.table)})`,
        )
        .join(', ')}) AS t(_fi, path, source_table)`,
    );
    return staged.map((f): StagedFileCount => ({
      path: f.file.path,
      sourceTable: f.table,
      read: f.rowsStaged + f.linesRejected,
    }));
  },
  stagedTables(): StagedTable[] {
    return Object.values(SNDS_STAGING).map((spec) => ({
      stage: spec.stage,
      pathSql: '(SELECT path FROM batch_files f WHERE f._fi = t._fi)',
      // _row counts accepted rows; the file line adds the header and the lines the reader rejected
      // before this row (rej_rank: per path, rejected line − its rank − 1).
      lineSql:
        't._row + 1 + (SELECT count(*) FROM rej_rank r WHERE r.path = (SELECT path FROM batch_files f WHERE f._fi = t._fi) AND r.thr < t._row)',
      sourceTableSql: '(SELECT source_table FROM batch_files f WHERE f._fi = t._fi)',
    }));
  },
  publish: publishSnds,
};
