/**
 * Renderings of a released result (`ReleasedResult`: tables and attrition, already through
 * disclosure control and the airlock) for download. JSON is the canonical form (the register's
 * content hash is over it); CSV and Parquet are the same content in one long table:
 *
 *   table, measure, <one column per dimension of any table>, value, persons, suppressed
 *
 * one row per released cell (`table` the query's measure, `measure` the released statistic, e.g.
 * `bmi_mean`; a dimension a table does not have is empty), then one row per attrition step
 * (`table` = `attrition`, `measure` = the step's name, `value` = persons left).
 *
 * Parquet is written by a private in-memory DuckDB opened for the purpose — not the warehouse:
 * no person data is involved, only released aggregates — into a private temporary directory,
 * read back and deleted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReleasedResult } from '@hygie/core';
import { openInMemoryWarehouse } from '@hygie/warehouse';

/** One row of the long form. */
interface LongRow {
  readonly table: string;
  readonly measure: string;
  readonly strata: Readonly<Record<string, string | null>>;
  readonly value: number | null;
  readonly persons: number | null;
  readonly suppressed: boolean;
}

type Json = Record<string, unknown>;

function asString(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function asNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The long form of a released result, and its dimension columns in order of appearance. */
export function longRows(content: ReleasedResult): { dimensions: string[]; rows: LongRow[] } {
  const dimensions: string[] = [];
  const rows: LongRow[] = [];
  for (const t of content.tables as Json[]) {
    for (const d of (t.dimensions as unknown[] | undefined) ?? []) {
      if (typeof d === 'string' && !dimensions.includes(d)) dimensions.push(d);
    }
    for (const c of (t.cells as Json[] | undefined) ?? []) {
      const strata = Object.fromEntries(
        Object.entries((c.strata as Json | undefined) ?? {}).map(([k, v]) => [k, asString(v)]),
      );
      rows.push({
        table: String(t.measure ?? ''),
        measure: String(c.measure ?? ''),
        strata,
        value: asNumber(c.value),
        persons: asNumber(c.persons),
        suppressed: c.suppressed === true,
      });
    }
  }
  for (const a of content.attrition as Json[]) {
    rows.push({
      table: 'attrition',
      measure: String(a.name ?? a.step ?? ''),
      strata: {},
      value: asNumber(a.persons),
      persons: asNumber(a.persons),
      suppressed: a.suppressed === true,
    });
  }
  return { dimensions, rows };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formulas defused. */
function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  let s = String(v);
  // Spreadsheet formula injection: a text field starting with = + - @ is prefixed with '.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV rendering (header, then one line per row; CRLF line ends). */
export function releaseCsv(content: ReleasedResult): string {
  const { dimensions, rows } = longRows(content);
  const header = ['table', 'measure', ...dimensions, 'value', 'persons', 'suppressed'];
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.table,
        r.measure,
        ...dimensions.map((d) => r.strata[d] ?? null),
        r.value,
        r.persons,
        r.suppressed,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The Parquet rendering (see the file comment). */
export async function releaseParquet(content: ReleasedResult): Promise<Buffer> {
  const { dimensions, rows } = longRows(content);
  const dir = await mkdtemp(join(tmpdir(), 'hygie-release-'));
  const engine = await openInMemoryWarehouse();
  try {
    const q = (name: string) => engine.dialect.quoteIdent(name);
    const dimCols = dimensions.map((d) => `${q(`d_${d}`)} VARCHAR`);
    await engine.execute(
      `CREATE TABLE release (${[
        'tbl VARCHAR',
        'measure VARCHAR',
        ...dimCols,
        'value DOUBLE',
        'persons DOUBLE',
        'suppressed BOOLEAN',
      ].join(', ')})`,
    );
    if (rows.length > 0) {
      await engine.appendRows(
        'release',
        ['tbl', 'measure', ...dimensions.map((d) => `d_${d}`), 'value', 'persons', 'suppressed'],
        rows.map((r) => [
          r.table,
          r.measure,
          ...dimensions.map((d) => r.strata[d] ?? null),
          r.value,
          r.persons,
          r.suppressed,
        ]),
      );
    }
    const file = join(dir, 'release.parquet');
    const columns = [
      `tbl AS ${q('table')}`,
      'measure',
      ...dimensions.map((d) => `${q(`d_${d}`)} AS ${q(d)}`),
      'value',
      'persons',
      'suppressed',
    ].join(', ');
    // The path is ours (mkdtemp), quoted as a literal all the same.
    await engine.execute(
      `COPY (SELECT ${columns} FROM release) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`,
    );
    return await readFile(file);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}
