/**
 * The vocabulary used to describe the warehouse tables as data: logical column types, columns,
 * indexes and tables. Every engine (DuckDB, PostgreSQL, Citus) generates its DDL from these
 * descriptions, so the common data model is written down exactly once.
 */

/**
 * The logical column types, deliberately few: each maps onto one type of every supported SQL
 * engine without surprises (no decimals with engine-specific precision, no time zones).
 * `timestamp` values are always UTC wall-clock times.
 */
export const CDM_TYPES = [
  'bigint',
  'integer',
  'text',
  'date',
  'timestamp',
  'double',
  'boolean',
] as const;

/** A logical column type. */
export type CdmType = (typeof CDM_TYPES)[number];

/**
 * The JavaScript representation of each logical type, as the warehouse returns it and accepts it.
 * `bigint` columns come back as a `number` when the value is a safe integer and as a `bigint`
 * otherwise (person keys derived from pseudonyms usually exceed 2^53). Dates are `YYYY-MM-DD`
 * text; timestamps are ISO 8601 text in UTC.
 */
export interface CdmJsTypes {
  bigint: number | bigint;
  integer: number;
  text: string;
  date: string;
  timestamp: string;
  double: number;
  boolean: boolean;
}

/** One column of a warehouse table. */
export interface CdmColumn {
  /** Column name, lower snake case, as in the OMOP CDM v5.4 DDL. */
  readonly name: string;
  /** Logical type. */
  readonly type: CdmType;
  /** False for columns the OMOP DDL declares `NOT NULL`. */
  readonly nullable: boolean;
  /** True for the (single-column) primary key. */
  readonly primaryKey?: boolean;
  /**
   * True for columns that must only ever hold a pseudonym (never a source identifier such as a
   * NIR): validators reject identifier-shaped values there.
   */
  readonly pseudonym?: boolean;
  /** One line saying what the column holds. */
  readonly description: string;
  /**
   * Schema migration that introduced the column (default 1). Descriptions are append-only: a later
   * column carries the version of the migration that adds it, so earlier migrations (and their
   * checksums) never change.
   */
  readonly addedIn?: number;
}

/** An index worth having on engines that benefit from secondary indexes. */
export interface CdmIndex {
  /** Indexed columns, in order. */
  readonly columns: readonly string[];
  /** Schema migration that introduced the index (default 1). */
  readonly addedIn?: number;
}

/** Which part of the model a table belongs to. */
export type CdmTableKind = 'clinical' | 'health-system' | 'vocabulary' | 'metadata' | 'hygie';

/** One warehouse table. */
export interface CdmTable {
  /** Table name, lower snake case. Hygie's own tables start with `hygie_`. */
  readonly name: string;
  /** Part of the model. */
  readonly kind: CdmTableKind;
  /** One line saying what a row is. */
  readonly description: string;
  /** Columns in OMOP DDL order. */
  readonly columns: readonly CdmColumn[];
  /** Secondary indexes (the primary key is declared on its column). */
  readonly indexes: readonly CdmIndex[];
  /**
   * The column holding the person key, for tables with one row set per person. Scale-out engines
   * (Citus) distribute and co-locate these tables by it; tables without one are reference tables.
   */
  readonly personKey?: string;
  /** Schema migration that introduced the table (default 1). */
  readonly addedIn?: number;
}

/** The JavaScript value of a column, `null` included when the column is nullable. */
export type CdmValue<C extends CdmColumn> =
  CdmJsTypes[C['type']] | (C['nullable'] extends false ? never : null);

/** The row type of a table described with literal types (see `defineTable`). */
export type CdmRow<T extends CdmTable> = {
  -readonly [C in T['columns'][number] as C['name']]: CdmValue<C>;
};
