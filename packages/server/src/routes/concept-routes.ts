/**
 * Concept search for the cohort builder's concept picker (issue #8): the warehouse `concept`
 * table searched by code prefix (case-insensitive, dots ignored: `E11.9` finds `E119`) or by the
 * words of the name (every word must appear, case-insensitive; accent-insensitive on DuckDB),
 * codes first. Every value the caller gives is bound as a statement parameter.
 *
 * Not audited: the vocabularies are public reference data (CIM-10, ATC, CCAM, CIP13, LOINC as
 * published), the search reads no person data and returns no count of persons, and the picker
 * calls it at every keystroke — auditing it would flood the audit trail (and the public
 * transparency log fed from it) with noise that tells nothing about data access.
 */
import { z } from 'zod';
import { QUERY_VOCABULARIES } from '@hygie/core';
import type { SqlParam } from '@hygie/warehouse';
import type { RoutePlugin } from '../deps.js';

/** Largest number of concepts one search returns. */
export const MAX_CONCEPTS = 100;
const MAX_WORDS = 8;

/** Lower case without diacritics (`Diabète` → `diabete`), as the SQL side compares names. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const concept = z.object({
  conceptId: z.number(),
  code: z.string(),
  name: z.string(),
  vocabulary: z.string(),
  conceptClass: z.string(),
  domain: z.string(),
  standard: z.string().nullable(),
  descendants: z.number().describe('concepts below it in the hierarchy (concept_ancestor)'),
});

/** Registers `GET /api/v1/concepts`. */
export const conceptRoutes: RoutePlugin = (app, deps) => {
  app.get(
    '/api/v1/concepts',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['catalogue'],
        summary: 'Search concepts by code prefix or by words of the name (codes first)',
        querystring: z.object({
          q: z.string().trim().min(1).max(100),
          vocabulary: z.enum(QUERY_VOCABULARIES).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_CONCEPTS).default(20),
        }),
        response: { 200: z.object({ concepts: z.array(concept) }) },
      },
    },
    async (request) => {
      const { q, vocabulary, limit } = request.query;
      const w = deps.warehouse;
      const d = w.dialect;
      const params: SqlParam[] = [];
      const bind = (v: SqlParam): string => {
        params.push(v);
        return d.placeholder(params.length);
      };
      // DuckDB folds accents with strip_accents; PostgreSQL would need the unaccent extension,
      // which is not assumed: there the comparison is case-insensitive only.
      const foldSql = (expr: string): string =>
        d.name === 'duckdb' ? `strip_accents(lower(${expr}))` : `lower(${expr})`;
      const codeSql = `upper(replace(c.concept_code, '.', ''))`;
      const code = q.replaceAll('.', '').replace(/\s+/g, '').toUpperCase();
      const words = fold(q)
        .split(/\s+/)
        .filter((x) => x.length > 0)
        .slice(0, MAX_WORDS);
      const codeMatch = code.length > 0 ? `strpos(${codeSql}, ${bind(code)}) = 1` : 'FALSE';
      const nameMatch =
        words.length > 0
          ? words.map((x) => `strpos(${foldSql('c.concept_name')}, ${bind(x)}) > 0`).join(' AND ')
          : 'FALSE';
      const vocabularyFilter =
        vocabulary !== undefined ? `c.vocabulary_id = ${bind(vocabulary)} AND ` : '';
      const order = `by_name, length(m.concept_code), ${d.binaryOrder('m.concept_code')}, m.concept_id`;
      const rows = await w.query<{
        concept_id: unknown;
        concept_code: string;
        concept_name: string;
        vocabulary_id: string;
        concept_class_id: string;
        domain_id: string;
        standard_concept: string | null;
        descendants: unknown;
      }>(
        `WITH m AS (
           SELECT c.concept_id, c.concept_code, c.concept_name, c.vocabulary_id, c.concept_class_id,
                  c.domain_id, c.standard_concept,
                  CASE WHEN ${codeMatch} THEN 0 ELSE 1 END AS by_name
           FROM concept c
           WHERE ${vocabularyFilter}((${codeMatch}) OR (${nameMatch}))
         ), top AS (
           SELECT * FROM m ORDER BY ${order} LIMIT ${bind(limit)}
         )
         SELECT m.*, (SELECT count(*) FROM concept_ancestor a
                      WHERE a.ancestor_concept_id = m.concept_id
                        AND a.descendant_concept_id <> m.concept_id) AS descendants
         FROM top m ORDER BY ${order}`,
        params,
      );
      return {
        concepts: rows.map((r) => ({
          conceptId: Number(r.concept_id),
          code: r.concept_code,
          name: r.concept_name,
          vocabulary: r.vocabulary_id,
          conceptClass: r.concept_class_id,
          domain: r.domain_id,
          standard: r.standard_concept,
          descendants: Number(r.descendants ?? 0),
        })),
      };
    },
  );
};
