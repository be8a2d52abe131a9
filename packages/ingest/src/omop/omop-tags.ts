/**
 * Marking staged OMOP rows that cannot be published: each gets the first rule it breaks
 * (`'column|rule'`) in `_reason` and goes to quarantine with its file and line.
 */
import type { WarehouseSession } from '@hygie/warehouse';

/** Tags still-valid rows of a staging table matching `where` with a reason. */
export async function tagRows(
  s: WarehouseSession,
  stage: string,
  where: string,
  reason: string,
  params: readonly (string | number)[] = [],
): Promise<number> {
  return s.execute(`UPDATE ${stage} SET _reason = $1 WHERE _reason IS NULL AND (${where})`, [
    reason,
    ...params,
  ]);
}

/** Tags every row after the first (in file order) sharing the same `key` column. */
export async function tagDuplicates(
  s: WarehouseSession,
  stage: string,
  key: string,
): Promise<number> {
  return s.execute(
    `UPDATE ${stage} SET _reason = $1 FROM (
       SELECT _fi, _row FROM (
         SELECT _fi, _row, row_number() OVER (PARTITION BY "${key}" ORDER BY _fi, _row) AS k
         FROM ${stage} WHERE _reason IS NULL)
       WHERE k > 1) d
     WHERE ${stage}._fi = d._fi AND ${stage}._row = d._row`,
    [`${key}|duplicate ${key} (an earlier row has it)`],
  );
}
