/**
 * A small TypeScript builder for queries, for scripts and tests: it writes the same JSON a
 * caller would, then validates it with `parseQuery`.
 *
 * ```ts
 * const q = query({ from: '2019-01-01', to: '2023-12-31' })
 *   .conceptSet('t2d', [cim10('E11')])
 *   .conceptSet('metformin', [atc('A10BA02')])
 *   .cohort({ entry: { events: [{ domain: 'drug', conceptSet: 'metformin' }] } })
 *   .measure({ kind: 'person_count', name: 'persons' })
 *   .stratify('departement', 'year')
 *   .build();
 * ```
 */
import type { QueryConceptItem, QueryVocabulary } from './concept-set.js';
import type { StratificationDimension } from './measure.js';
import { QUERY_VERSION, parseQuery } from './query.js';
import type { Query, QueryInput } from './query.js';

type Item = { vocabulary: QueryVocabulary; code: string; descendants?: boolean };

function item(vocabulary: QueryVocabulary) {
  return (code: string, options: { descendants?: boolean } = {}): Item => ({
    vocabulary,
    code,
    descendants: options.descendants ?? true,
  });
}

/** A CIM-10 code (with descendants unless told otherwise). */
export const cim10 = item('CIM10');
/** An ATC code (with descendants: the products of the class). */
export const atc = item('ATC');
/** A CCAM act code. */
export const ccam = item('CCAM');
/** A CIP13 product code. */
export const cip13 = item('CIP13');
/** A LOINC test code. */
export const loinc = item('LOINC');

/** Builds a query step by step. */
export class QueryBuilder {
  readonly #q: QueryInput & {
    conceptSets: NonNullable<QueryInput['conceptSets']>;
    measures: QueryInput['measures'];
  };

  constructor(period: { from: string; to: string }) {
    this.#q = {
      version: QUERY_VERSION,
      period,
      conceptSets: [],
      measures: [] as unknown as QueryInput['measures'],
    };
  }

  /** Adds a concept set. */
  conceptSet(name: string, include: readonly Item[], exclude: readonly Item[] = []): this {
    this.#q.conceptSets.push({
      name,
      include: [...include] as QueryConceptItem[],
      exclude: [...exclude] as QueryConceptItem[],
    });
    return this;
  }

  /** Sets the cohort. */
  cohort(cohort: NonNullable<QueryInput['cohort']>): this {
    this.#q.cohort = cohort;
    return this;
  }

  /** Adds a measure. */
  measure(measure: QueryInput['measures'][number]): this {
    (this.#q.measures as QueryInput['measures'][number][]).push(measure);
    return this;
  }

  /** Sets the stratification. */
  stratify(...dimensions: StratificationDimension[]): this {
    this.#q.stratify = dimensions;
    return this;
  }

  /** Sets the age bands (lower bounds). */
  ageBands(bands: number[]): this {
    this.#q.ageBands = bands;
    return this;
  }

  /** The query as JSON input (not yet validated). */
  toJSON(): QueryInput {
    return structuredClone(this.#q);
  }

  /** Validates and returns the query. */
  build(): Query {
    return parseQuery(this.toJSON());
  }
}

/** Starts a query over an analysis period. */
export function query(period: { from: string; to: string }): QueryBuilder {
  return new QueryBuilder(period);
}
