/**
 * How to write SQL for one engine: identifier and literal quoting, placeholders, type names, the
 * DDL for the dialect-neutral table descriptions of `@hygie/core`, and the SQL functions whose
 * spelling or result differs between engines (`sql-functions.ts`). Pure string building, no I/O,
 * so a dialect can be unit-tested without its engine.
 */
import { HygieError } from '@hygie/core';
import type { CdmColumn, CdmIndex, CdmTable, CdmType } from '@hygie/core';
import { createSqlFunctions } from './sql-functions.js';
import type { EngineFunctions, SqlFunctions } from './sql-functions.js';

/** Names of the supported dialects. */
export type DialectName = 'duckdb' | 'postgres';

/** The SQL flavour of an engine. */
export interface SqlDialect extends SqlFunctions {
  /** Dialect name. */
  readonly name: DialectName;
  /**
   * Whether the migrations create the secondary indexes of the description. PostgreSQL needs them
   * for selective lookups; DuckDB relies on zone maps and hash joins, and its ART indexes slow bulk
   * loads several-fold for no gain on analytic scans.
   */
  readonly secondaryIndexes: boolean;
  /**
   * Statements (`SET LOCAL …`) to run at the start of the transaction of an analytic statement
   * (large scans, joins and aggregations over CTE pipelines). See `DialectSpec.analyticSettings`.
   */
  readonly analyticSettings: readonly string[];
  /**
   * What to write between `name AS` and `(` for a CTE the planner should inline into every
   * reference rather than compute once: `NOT MATERIALIZED` on PostgreSQL, nothing on DuckDB.
   * See `DialectSpec.inlinedCte`.
   */
  readonly inlinedCte: string;
  /** Quotes an identifier (table or column name). */
  quoteIdent(name: string): string;
  /**
   * Quotes a text literal. Only for what cannot be bound as a parameter (DDL, table-function
   * options); user values always go through parameters.
   */
  quoteLiteral(value: string): string;
  /** The engine type of a logical column type. */
  typeName(type: CdmType): string;
  /** The placeholder of the `index`-th parameter, counting from 1. */
  placeholder(index: number): string;
  /** `CREATE TABLE` for a table description (primary key included). */
  createTable(table: CdmTable, options?: { readonly ifNotExists?: boolean }): string;
  /** `ALTER TABLE … ADD COLUMN` for a column added by a later migration. */
  addColumn(table: string, column: CdmColumn): string;
  /** `CREATE INDEX` for a secondary index. */
  createIndex(table: string, index: CdmIndex): string;
}

/** What differs between dialects; everything else is standard SQL. */
export interface DialectSpec {
  readonly name: DialectName;
  readonly secondaryIndexes: boolean;
  /**
   * Which tables get their primary key declared. `reference` keeps keys on the bounded tables
   * (vocabulary, metadata, Hygie bookkeeping) only: on DuckDB a key is an in-memory index, so on
   * person and event tables it would make memory grow with the data and slow bulk loads ~5×;
   * ingestion guarantees uniqueness of those keys by construction instead.
   */
  readonly primaryKeys?: 'all' | 'reference';
  readonly types: Readonly<Record<CdmType, string>>;
  /**
   * Settings of analytic transactions. PostgreSQL cannot estimate the sizes of CTEs (a grouped,
   * filtered CTE is planned as one row) and then picks nested loops that are quadratic in
   * persons: a cohort over 10,000 persons took 5.7 s instead of 0.1 s with them, hence
   * `enable_nestloop = off` (they stay available where nothing else can run: range-only joins).
   * DuckDB plans joins on its own statistics and needs nothing.
   */
  readonly analyticSettings?: readonly string[];
  /**
   * The inlining keyword of CTEs (see `SqlDialect.inlinedCte`). PostgreSQL materialises a CTE
   * referenced more than once and then knows nothing of its rows: the permit's population (one
   * row per person, a cheap filtered scan of `person`) planned as a CTE scan cost a third of an
   * incidence query at 1M persons; inlined, every join on it is planned on `person`'s statistics.
   * DuckDB plans CTEs well either way.
   */
  readonly inlinedCte?: string;
  /** The functions this engine writes its own way (see `sql-functions.ts`). */
  readonly functions: EngineFunctions;
}

/** Conventional index name: `idx_<table>_<col>[_<col>…]`. */
export function indexName(table: string, index: CdmIndex): string {
  return `idx_${table}_${index.columns.join('_')}`;
}

/** Builds a dialect from its differences, standard SQL for the rest. */
export function createSqlDialect(spec: DialectSpec): SqlDialect {
  const quoteIdent = (name: string): string => {
    // A NUL cannot be quoted in either engine; refusing it keeps quoting total.
    if (name.length === 0 || name.includes('\0')) {
      throw new HygieError('HYG_INVALID_ARGUMENT', 'invalid SQL identifier');
    }
    return `"${name.replaceAll('"', '""')}"`;
  };
  const columnDef = (column: CdmColumn): string =>
    `${quoteIdent(column.name)} ${spec.types[column.type]}${column.nullable ? '' : ' NOT NULL'}`;
  const quoteLiteral = (value: string): string => {
    if (value.includes('\0')) throw new HygieError('HYG_INVALID_ARGUMENT', 'invalid SQL literal');
    // Standard SQL escaping; both engines treat backslashes in '' literals as ordinary characters.
    return `'${value.replaceAll("'", "''")}'`;
  };
  const typeName = (type: CdmType): string => spec.types[type];

  return {
    ...createSqlFunctions(typeName, spec.functions, quoteIdent, quoteLiteral),
    name: spec.name,
    secondaryIndexes: spec.secondaryIndexes,
    analyticSettings: [...(spec.analyticSettings ?? [])],
    inlinedCte: spec.inlinedCte ?? '',
    quoteIdent,
    quoteLiteral,
    typeName,
    placeholder(index: number): string {
      if (!Number.isInteger(index) || index < 1) {
        throw new HygieError('HYG_INVALID_ARGUMENT', 'placeholders count from 1');
      }
      return `$${index}`;
    },
    createTable(table, options = {}): string {
      const lines = table.columns.map((c) => `  ${columnDef(c)}`);
      const declareKey =
        spec.primaryKeys !== 'reference' || !['clinical', 'health-system'].includes(table.kind);
      const pk = declareKey ? table.columns.filter((c) => c.primaryKey === true) : [];
      if (pk.length > 0)
        lines.push(`  PRIMARY KEY (${pk.map((c) => quoteIdent(c.name)).join(', ')})`);
      const ifNotExists = options.ifNotExists === true ? 'IF NOT EXISTS ' : '';
      return `CREATE TABLE ${ifNotExists}${quoteIdent(table.name)} (\n${lines.join(',\n')}\n)`;
    },
    addColumn(table, column): string {
      return `ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${columnDef(column)}`;
    },
    createIndex(table, index): string {
      const cols = index.columns.map(quoteIdent).join(', ');
      return `CREATE INDEX ${quoteIdent(indexName(table, index))} ON ${quoteIdent(table)} (${cols})`;
    },
  };
}
