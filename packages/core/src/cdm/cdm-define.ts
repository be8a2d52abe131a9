/**
 * Small builders for table descriptions. They keep each column on one readable line and, through
 * `const` type parameters, keep column names and types as literal types so that `CdmRow<T>` can
 * derive row types from the very objects the DDL is generated from.
 */
import type { CdmColumn, CdmIndex, CdmTable, CdmType } from './cdm-types.js';

/** A column the OMOP DDL declares `NOT NULL`. */
export function required<const N extends string, const T extends CdmType>(
  name: N,
  type: T,
  description: string,
): { readonly name: N; readonly type: T; readonly nullable: false; readonly description: string } {
  return { name, type, nullable: false, description };
}

/** A nullable column. */
export function optional<const N extends string, const T extends CdmType>(
  name: N,
  type: T,
  description: string,
): { readonly name: N; readonly type: T; readonly nullable: true; readonly description: string } {
  return { name, type, nullable: true, description };
}

/** The table's single-column primary key (never null). */
export function primaryKey<const N extends string, const T extends CdmType>(
  name: N,
  type: T,
  description: string,
): {
  readonly name: N;
  readonly type: T;
  readonly nullable: false;
  readonly primaryKey: true;
  readonly description: string;
} {
  return { name, type, nullable: false, primaryKey: true, description };
}

/** Marks a column as holding pseudonyms only (validators reject identifier-shaped values). */
export function pseudonymOnly<const C extends CdmColumn>(
  column: C,
): C & { readonly pseudonym: true } {
  return { ...column, pseudonym: true };
}

/** Indexes on single columns, the common case. */
export function singleColumnIndexes(...columns: readonly string[]): CdmIndex[] {
  return columns.map((c) => ({ columns: [c] }));
}

/** Declares a table, keeping its literal types. */
export function defineTable<const T extends CdmTable>(table: T): T {
  return table;
}
