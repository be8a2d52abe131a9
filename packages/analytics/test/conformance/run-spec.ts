/**
 * Runs conformance specs on an engine and checks their results: the world is loaded into a fresh
 * database, the permit's population compiled by the same compiler the server uses, the query
 * compiled for the engine's dialect and run. Used by the DuckDB and PostgreSQL suites alike.
 */
import assert from 'node:assert/strict';
import { parseQuery } from '@hygie/core';
import type { WarehouseEngine } from '@hygie/warehouse';
import { compileQuery } from '../../src/compile-query.js';
import type { QueryResult } from '../../src/result-table.js';
import { runQuery } from '../../src/run-query.js';
import { PERMIT_PERIOD } from './spec.js';
import type { ConformanceSpec, ExpectedRow } from './spec.js';
import { loadWorld } from './world.js';

/** Loads the spec's world into `engine` (empty, not migrated) and runs its query. */
export async function runSpec(
  engine: WarehouseEngine,
  spec: ConformanceSpec,
): Promise<QueryResult> {
  await loadWorld(engine, spec.world());
  const period = spec.permit?.period ?? PERMIT_PERIOD;
  const compiled = compileQuery(parseQuery(spec.query), {
    dialect: engine.dialect,
    population: { filters: spec.permit?.filters ?? {}, period, purpose: 'research' },
  });
  return runQuery(engine, compiled);
}

/** Equal within a relative 1e-9 (exactly, for zero and null). */
export function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

function sameRow(actual: ExpectedRow, expected: ExpectedRow): boolean {
  const keys = new Set([...Object.keys(actual.values), ...Object.keys(expected.values)]);
  return (
    actual.persons === expected.persons &&
    JSON.stringify(actual.strata ?? {}) === JSON.stringify(expected.strata ?? {}) &&
    [...keys].every((k) => close(actual.values[k] ?? null, expected.values[k] ?? null))
  );
}

/** The result as plain rows per measure (what specs write). */
export function resultRows(result: QueryResult): Record<string, ExpectedRow[]> {
  return Object.fromEntries(
    result.tables.map((t) => [
      t.measure,
      t.rows.map((r) => ({ strata: r.strata, values: r.values, persons: r.persons })),
    ]),
  );
}

/** Asserts that a result is the spec's expected result. */
export function checkSpec(spec: ConformanceSpec, result: QueryResult): void {
  const actual = resultRows(result);
  for (const [measure, expected] of Object.entries(spec.expect.tables ?? {})) {
    const rows = actual[measure];
    assert.ok(rows, `no result table for measure ${measure}`);
    const normalised = expected.map((r) => ({ ...r, strata: r.strata ?? {} }));
    const ok =
      rows.length === normalised.length && rows.every((r, i) => sameRow(r, normalised[i]!));
    if (!ok) assert.deepEqual(rows, normalised, `measure ${measure}`);
  }
  if (spec.expect.attrition !== undefined) {
    assert.deepEqual(
      result.attrition?.map((a) => a.persons),
      [...spec.expect.attrition],
      'attrition',
    );
  }
}

/** Asserts that two engines gave the same result (numbers to a relative 1e-9). */
export function checkSameResults(a: QueryResult, b: QueryResult, label: string): void {
  const ra = resultRows(a);
  const rb = resultRows(b);
  assert.deepEqual(Object.keys(ra), Object.keys(rb), `${label}: measures`);
  for (const [measure, rows] of Object.entries(ra)) {
    const other = rb[measure] ?? [];
    const ok = rows.length === other.length && rows.every((r, i) => sameRow(r, other[i]!));
    if (!ok) assert.deepEqual(rows, other, `${label}: measure ${measure}`);
  }
  assert.deepEqual(a.attrition, b.attrition, `${label}: attrition`);
}
