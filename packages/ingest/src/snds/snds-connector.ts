/**
 * The SNDS extract connector: CSV files named after their table (`IR_BEN_R.csv`, `ER_PRS_F.csv`,
 * `T_MCO19B.csv`, …), validated against the SNDS table schemas, published to the OMOP CDM.
 *
 * Staging order matters for speed: the small tables (beneficiaries, hospital stays, deaths) are
 * staged first and their identifiers pseudonymised; the large claim tables are then read with the
 * person resolved in the same pass, so claims never store the raw identifier.
 */
import { hmacPads } from '@hygie/core';
import type { WarehouseSession } from '@hygie/warehouse';
import type { Connector, StagedFileCount, StagedTable } from '../connector.js';
import { IDENT_TABLE, buildPersonMap } from '../person-map.js';
import {
  QUARANTINE_WORK_TABLE,
  claimKeySql,
  isSndsFile,
  planSndsFiles,
  prepareSndsStaging,
  stageSndsFiles,
  type SndsFileRead,
} from './snds-stage.js';
import { publishSnds } from './snds-publish.js';
import { SNDS_STAGING } from './snds-tables.js';

const BIG_PERSON_STAGE = SNDS_STAGING.ER_PRS_F.stage;

/** Identifier columns of the staged small SNDS tables, for `stg_ident`. */
function smallIdentifierSql(): string {
  return Object.values(SNDS_STAGING)
    .filter((spec) => spec.identifier !== null && !spec.big)
    .map(
      (spec) =>
        `SELECT DISTINCT "${spec.identifier as string}" AS raw, NULL::VARCHAR AS namespace FROM ${spec.stage} WHERE _reason IS NULL`,
    )
    .join(' UNION ');
}

/** Finds the file lines of quarantined rows of large tables, by a second pass over their files. */
async function locateBigLines(s: WarehouseSession, reads: readonly SndsFileRead[]): Promise<void> {
  const q = s.dialect.quoteIdent;
  const lit = s.dialect.quoteLiteral;
  await s.execute('CREATE OR REPLACE TEMP TABLE big_lines (_fi INTEGER, _id BIGINT, line BIGINT)');
  for (const f of reads) {
    const spec = SNDS_STAGING[f.table];
    if (!spec.big) continue;
    const [c] = await s.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${spec.stage} WHERE _fi = $1 AND _reason IS NOT NULL`,
      [f.index],
    );
    if (Number(c?.n ?? 0) === 0) continue;
    const rejects = `relocate_${f.index}`;
    await s.execute(
      `CREATE OR REPLACE TEMP TABLE relocate AS SELECT row_number() OVER () AS r, *, ${claimKeySql('')}
       FROM ${f.readSql}, store_rejects = true, rejects_table = '${rejects}_errors', rejects_scan = '${rejects}_scans')`,
    );
    await s.execute(`DROP TABLE IF EXISTS ${rejects}_errors`);
    await s.execute(`DROP TABLE IF EXISTS ${rejects}_scans`);
    const on = spec.lineKey.map((k) => `p.${q(k)} IS NOT DISTINCT FROM t.${q(k)}`).join(' AND ');
    // Every column is read (`*`), so the reader rejects exactly the lines it rejected the first
    // time (an unread column is not checked). r counts the lines it kept; add the header and the rejected lines before each.
    await s.execute(
      `INSERT INTO big_lines
       SELECT t._fi, t._id, min(p.r) + 1 + (SELECT count(*) FROM (
           SELECT line - row_number() OVER (ORDER BY line) - 1 AS thr FROM ${QUARANTINE_WORK_TABLE} WHERE path = ${lit(f.file.path)}
         ) WHERE thr < min(p.r))
       FROM ${spec.stage} t JOIN relocate p ON ${on}
       WHERE t._fi = ${f.index} AND t._reason IS NOT NULL GROUP BY t._fi, t._id`,
    );
    await s.execute('DROP TABLE relocate');
  }
}

/** A fresh SNDS connector (it keeps per-batch state: how each file was read). */
export function createSndsConnector(): Connector {
  let reads: SndsFileRead[] = [];
  return {
    format: 'snds',
    accepts: isSndsFile,
    async stage(s, files, keys, namespace, onFile) {
      const nomenclatures = await prepareSndsStaging(s);
      const planned = planSndsFiles(s, files, nomenclatures);
      reads = planned;
      let done = 0;
      const tick = (): void => onFile(++done, files.length);
      const pads = hmacPads(keys.sourceNirKey());
      const small = await stageSndsFiles(
        s,
        planned.filter((f) => !SNDS_STAGING[f.table].big),
        pads,
        tick,
      );
      await s.execute(`INSERT INTO ${IDENT_TABLE} ${smallIdentifierSql()}`);
      let persons = await buildPersonMap(s, keys, namespace);
      const big = await stageSndsFiles(
        s,
        planned.filter((f) => SNDS_STAGING[f.table].big),
        pads,
        tick,
      );
      // Claims of persons absent from this extract's small tables (known from earlier batches, or
      // invalid) hold the source pseudonym of their identifier: pseudonymise those too, then
      // resolve them.
      const [u] = await s.query<{ n: number }>(
        `SELECT count(*) AS n FROM ${BIG_PERSON_STAGE} WHERE _unmapped IS NOT NULL`,
      );
      if (Number(u?.n ?? 0) > 0) {
        await s.execute(
          `INSERT INTO ${IDENT_TABLE} SELECT DISTINCT _unmapped, NULL FROM ${BIG_PERSON_STAGE} WHERE _unmapped IS NOT NULL`,
        );
        persons = await buildPersonMap(s, keys, namespace);
        await s.execute(
          `UPDATE ${BIG_PERSON_STAGE} SET _person = m.person_id FROM person_map m
           WHERE ${BIG_PERSON_STAGE}._unmapped = m.raw AND m.namespace IS NULL`,
        );
      }
      const staged = [...small, ...big].sort((a, b) => a.index - b.index);
      await s.execute(
        `CREATE OR REPLACE TEMP TABLE batch_files AS SELECT * FROM (VALUES ${staged
          .map(
            (f) =>
              `(${f.index}, ${s.dialect.quoteLiteral(f.file.path)}, ${s.dialect.quoteLiteral(f.table)})`,
          )
          .join(', ')}) AS t(_fi, path, source_table)`,
      );
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
      return Object.values(SNDS_STAGING).map((spec) => ({
        stage: spec.stage,
        pathSql: '(SELECT path FROM batch_files f WHERE f._fi = t._fi)',
        // Small tables: _row counts accepted rows, so the line adds the header and the lines the
        // reader rejected before it (rej_rank: per path, rejected line − its rank − 1). Large
        // tables: found by locateQuarantined.
        lineSql: spec.big
          ? 'coalesce((SELECT line FROM big_lines b WHERE b._fi = t._fi AND b._id = t._id), 0)'
          : 't._row + 1 + (SELECT count(*) FROM rej_rank r WHERE r.path = (SELECT path FROM batch_files f WHERE f._fi = t._fi) AND r.thr < t._row)',
        sourceTableSql: '(SELECT source_table FROM batch_files f WHERE f._fi = t._fi)',
      }));
    },
    locateQuarantined: (s) => locateBigLines(s, reads),
    publish: publishSnds,
  };
}
