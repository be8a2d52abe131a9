/**
 * What disclosure control receives from the compiler, on DuckDB over the conformance worlds:
 * every result table converts to a valid `AggregateTable`, and each measure's membership
 * statement lists exactly the persons behind each cell (as many as its `persons`, and as many
 * counted as its count or cases).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAggregateTable, parseQuery } from '@hygie/core';
import { openInMemoryWarehouse } from '@hygie/warehouse';
import { toAggregateTable } from '../src/aggregate-tables.js';
import { compileQuery } from '../src/compile-query.js';
import { runMembership, runQuery } from '../src/run-query.js';
import { PERMIT_PERIOD } from './conformance/spec.js';
import { SPECS } from './conformance/specs/index.js';
import { loadWorld } from './conformance/world.js';

test('every result table is a valid aggregate table; membership matches persons', async () => {
  for (const spec of SPECS) {
    const engine = await openInMemoryWarehouse();
    try {
      await loadWorld(engine, spec.world());
      const period = spec.permit?.period ?? PERMIT_PERIOD;
      const compiled = compileQuery(parseQuery(spec.query), {
        dialect: engine.dialect,
        population: { filters: spec.permit?.filters ?? {}, period, purpose: 'research' },
      });
      const result = await runQuery(engine, compiled);
      for (const table of result.tables) {
        checkAggregateTable(toAggregateTable(table));
        const members = await runMembership(engine, compiled, table.measure);
        for (const row of table.rows) {
          const key = JSON.stringify(table.dimensions.map((d) => row.strata[d] ?? null));
          const inCell = members.filter((m) => JSON.stringify(m.strata) === key);
          const label = `${spec.name} / ${table.measure} / ${key}`;
          assert.equal(new Set(inCell.map((m) => String(m.personId))).size, inCell.length, label);
          if (row.persons === 0) continue; // an empty unstratified cell has no members
          assert.equal(inCell.length, row.persons, label);
          const counted = inCell.filter((m) => m.counted).length;
          const expected =
            table.kind === 'prevalence' || table.kind === 'incidence_rate'
              ? row.values.cases
              : row.persons;
          assert.equal(counted, expected, `${label}: counted`);
        }
        const cells = new Set(
          table.rows.map((r) => JSON.stringify(table.dimensions.map((d) => r.strata[d] ?? null))),
        );
        assert.ok(
          members.every((m) => cells.has(JSON.stringify(m.strata))),
          `${spec.name} / ${table.measure}: a member outside every cell`,
        );
      }
    } finally {
      await engine.close();
    }
  }
});
