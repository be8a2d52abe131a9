/**
 * Warehouse row keys of a batch: (batch number << 43) | (slot << 32) | row. A slot is a source
 * file index × 2 (+1 for a second row made from the same source row, e.g. a related diagnosis);
 * slots 2000–2047 number rows derived otherwise. Keys are unique by construction — no index
 * needed to enforce them — and tell which batch wrote a row, so a batch can be traced in SQL.
 */

/** Largest number of files in one batch. */
export const MAX_FILES_PER_BATCH = 1000;

/** Largest batch number (20 bits). */
export const MAX_BATCH_NUMBER = (1 << 20) - 1;

/** SQL of the key of a staged row. */
export function rowIdSql(batchNumber: number, fileIndex: string, row: string, variant = 0): string {
  return `((${batchNumber}::BIGINT << 43) + ((${fileIndex} * 2 + ${variant})::BIGINT << 32) + ${row})`;
}

/** SQL of the key of the n-th row of a derived set (`set` 0–47). */
export function derivedIdSql(batchNumber: number, set: number, n: string): string {
  return `((${batchNumber}::BIGINT << 43) + (${2000 + set}::BIGINT << 32) + ${n})`;
}
