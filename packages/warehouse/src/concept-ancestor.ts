/**
 * Builds `concept_ancestor` in SQL from the `Is a` relationships, as OMOP defines it: one row per
 * ancestor–descendant pair with the shortest and longest path between them, plus a reflexive row
 * (level 0) for every concept taking part in a hierarchy. Standard SQL only (a recursive CTE with
 * `UNION`), so the same text runs on DuckDB and PostgreSQL.
 */
import { HygieError } from '@hygie/core';
import type { WarehouseSession } from './engine.js';

/**
 * Deepest hierarchy accepted. Real ones are shallow (CIM-10: 4 levels, ATC: 5); the bound is what
 * stops the recursion if the data holds a cycle, which is then reported.
 */
export const MAX_HIERARCHY_DEPTH = 32;

/**
 * The `INSERT … SELECT` that fills `concept_ancestor` (which it expects empty). Only valid
 * relationships between valid concepts count. `UNION` (not `UNION ALL`) keeps one row per
 * (ancestor, descendant, level): the work stays proportional to pairs × depth even where several
 * paths join (a drug pack under two ATC classes), instead of growing with the number of paths.
 * Parameter $1 is the depth bound.
 */
export function conceptAncestorSql(q: (ident: string) => string): string {
  return `INSERT INTO ${q('concept_ancestor')} (${q('ancestor_concept_id')}, ${q('descendant_concept_id')}, ${q('min_levels_of_separation')}, ${q('max_levels_of_separation')})
WITH RECURSIVE is_a (child, parent) AS (
  SELECT DISTINCT r.${q('concept_id_1')}, r.${q('concept_id_2')}
  FROM ${q('concept_relationship')} r
  JOIN ${q('concept')} c1 ON c1.${q('concept_id')} = r.${q('concept_id_1')} AND c1.${q('invalid_reason')} IS NULL
  JOIN ${q('concept')} c2 ON c2.${q('concept_id')} = r.${q('concept_id_2')} AND c2.${q('invalid_reason')} IS NULL
  WHERE r.${q('relationship_id')} = 'Is a' AND r.${q('invalid_reason')} IS NULL
    AND r.${q('concept_id_1')} <> r.${q('concept_id_2')}
),
paths (ancestor, descendant, levels) AS (
  SELECT parent, child, 1 FROM is_a
  UNION
  SELECT is_a.parent, paths.descendant, paths.levels + 1
  FROM paths JOIN is_a ON is_a.child = paths.ancestor
  WHERE paths.levels < $1
),
members (concept_id) AS (
  SELECT child FROM is_a UNION SELECT parent FROM is_a
)
SELECT ancestor, descendant, MIN(levels), MAX(levels) FROM paths GROUP BY ancestor, descendant
UNION ALL
SELECT concept_id, concept_id, 0, 0 FROM members`;
}

/**
 * Replaces the content of `concept_ancestor` with the closure of the current `Is a` relationships
 * and returns the number of rows. Run it inside a transaction with the vocabulary load so readers
 * never see a half-built hierarchy. Throws HYG_SCHEMA_VIOLATION when the relationships hold a
 * cycle (or a hierarchy deeper than MAX_HIERARCHY_DEPTH).
 */
export async function rebuildConceptAncestor(session: WarehouseSession): Promise<number> {
  const q = session.dialect.quoteIdent;
  await session.execute(`DELETE FROM ${q('concept_ancestor')}`);
  const rows = await session.execute(conceptAncestorSql(q), [MAX_HIERARCHY_DEPTH]);
  const deep = await session.query<{ n: number }>(
    `SELECT count(*) AS n FROM ${q('concept_ancestor')} WHERE ${q('max_levels_of_separation')} >= $1`,
    [MAX_HIERARCHY_DEPTH],
  );
  if (Number(deep[0]?.n ?? 0) > 0) {
    throw new HygieError(
      'HYG_SCHEMA_VIOLATION',
      `the 'Is a' relationships contain a cycle or a hierarchy deeper than ${MAX_HIERARCHY_DEPTH} levels`,
    );
  }
  return rows;
}
