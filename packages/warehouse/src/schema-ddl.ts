/**
 * DDL of one schema version, generated from the `@hygie/core` table descriptions. Descriptions are
 * append-only and every table, column and index says which migration introduced it (`addedIn`,
 * default 1), so the statements of migration N depend only on what N introduced: editing the
 * description later never changes an applied migration (nor its checksum).
 */
import { CDM_TABLES, HygieError } from '@hygie/core';
import type { CdmTable } from '@hygie/core';
import type { SqlDialect } from './sql-dialect.js';

/** Hygie's migration ledger: created before any migration runs, so no migration creates it. */
export const MIGRATIONS_TABLE = 'hygie_schema_migrations';

const since = (x: { readonly addedIn?: number }): number => x.addedIn ?? 1;

/** The highest `addedIn` of the descriptions: the schema version they describe. */
export function describedSchemaVersion(tables: readonly CdmTable[] = CDM_TABLES): number {
  let v = 1;
  for (const t of tables) {
    v = Math.max(v, since(t), ...t.columns.map(since), ...t.indexes.map(since));
  }
  return v;
}

/**
 * The statements that bring the schema from version `version - 1` to `version`: new tables (with
 * the columns they had at that version), new columns of older tables, and new indexes when the
 * dialect wants secondary indexes.
 */
export function schemaStatements(
  dialect: SqlDialect,
  version: number,
  tables: readonly CdmTable[] = CDM_TABLES,
): string[] {
  const out: string[] = [];
  for (const table of tables) {
    if (table.name === MIGRATIONS_TABLE) continue;
    const tableSince = since(table);
    if (tableSince > version) continue;
    if (tableSince === version) {
      const columns = table.columns.filter((c) => since(c) <= version);
      out.push(dialect.createTable({ ...table, columns }));
    } else {
      for (const column of table.columns.filter((c) => since(c) === version)) {
        // Existing rows would violate NOT NULL: a column added later must be nullable.
        if (!column.nullable || column.primaryKey === true) {
          throw new HygieError(
            'HYG_MIGRATION_FAILED',
            `column ${table.name}.${column.name} added in migration ${version} must be nullable`,
          );
        }
        out.push(dialect.addColumn(table.name, column));
      }
    }
    if (dialect.secondaryIndexes) {
      // An index comes with its table at the earliest: the indexes of a table added by migration
      // N without an `addedIn` of their own are created by N.
      const indexSince = (ix: CdmTable['indexes'][number]): number =>
        Math.max(tableSince, since(ix));
      for (const index of table.indexes.filter((ix) => indexSince(ix) === version)) {
        out.push(dialect.createIndex(table.name, index));
      }
    }
  }
  return out;
}
