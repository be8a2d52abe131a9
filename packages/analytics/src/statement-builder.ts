/**
 * Builds one SQL statement as a pipeline of common table expressions (CTEs) behind the permit's
 * population, with bound parameters numbered after the population's own.
 *
 * Each compiled statement gets a builder of its own, so that it holds exactly the CTEs its final
 * SELECT needs and every placeholder it numbers appears in its text: PostgreSQL refuses a
 * statement whose parameter it cannot type, and a CTE left unused would still cost parsing.
 */
import { HygieError } from '@hygie/core';
import type { CdmType } from '@hygie/core';
import type { SqlDialect, SqlParam } from '@hygie/warehouse';
import type { CompiledSql } from './population-sql.js';
import { SqlParams } from './population-sql.js';

/**
 * Name of the population CTE every statement starts with. It has one row per person (`person`'s
 * key, anti-joined to the opt-outs' key), so the pipeline restricts a table to the population by
 * an inner join on `person_id`, not `IN (SELECT …)`: PostgreSQL cannot estimate the rows of a
 * CTE and de-duplicates it first for a semi-join, a second or more over a million persons.
 */
export const POPULATION_CTE = 'pop';

const CTE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** One statement under construction: its CTEs, in dependency order, and its parameters. */
export class SqlStatementBuilder {
  readonly #params: SqlParams;
  readonly #population: CompiledSql;
  readonly #ctes: { readonly name: string; readonly sql: string }[] = [];
  /** Names being built or built: a name asked for while it is built is a cycle (a bug). */
  readonly #state = new Map<string, 'building' | 'built'>();
  /** Placeholders of values bound once and reused (the period bounds, in every CTE). */
  readonly #shared = new Map<string, string>();

  /**
   * @param dialect the engine's SQL dialect
   * @param population the permit's population (`SELECT person_id …`), its placeholders from `$1`
   */
  constructor(
    readonly dialect: SqlDialect,
    population: CompiledSql,
  ) {
    this.#population = population;
    this.#params = new SqlParams(dialect, population.params.length);
    this.#state.set(POPULATION_CTE, 'built');
  }

  /** Binds `value` and returns its placeholder cast to `type` (typed the same on both engines). */
  value(value: SqlParam, type: CdmType): string {
    return this.dialect.cast(this.#params.add(value), type);
  }

  /**
   * Binds `value` once per statement under `key` and returns the same typed placeholder every
   * time: the period bounds appear in many CTEs and need not be bound again each time.
   */
  shared(key: string, value: SqlParam, type: CdmType): string {
    const known = this.#shared.get(key);
    if (known !== undefined) return known;
    const placeholder = this.value(value, type);
    this.#shared.set(key, placeholder);
    return placeholder;
  }

  /**
   * The CTE `name`, built by `build` the first time it is asked for. `build` may ask for other
   * CTEs: they are placed before this one, so the WITH list is always in dependency order.
   */
  cte(name: string, build: () => string): string {
    const state = this.#state.get(name);
    if (state === 'built') return name;
    if (state === 'building' || !CTE_NAME.test(name)) {
      throw new HygieError('HYG_INTERNAL', 'the query compiler built an invalid CTE pipeline');
    }
    this.#state.set(name, 'building');
    const sql = build();
    this.#ctes.push({ name, sql });
    this.#state.set(name, 'built');
    return name;
  }

  /** Whether the CTE `name` is part of the statement. */
  has(name: string): boolean {
    return this.#state.get(name) === 'built';
  }

  /** The statement: every CTE asked for, then `select`; parameters after the population's. */
  build(select: string): CompiledSql {
    const ctes = [
      // Inlined where the engine would otherwise plan it blind (`SqlDialect.inlinedCte`).
      `${POPULATION_CTE} AS ${this.dialect.inlinedCte ? `${this.dialect.inlinedCte} ` : ''}(\n${this.#population.sql}\n)`,
      ...this.#ctes.map((c) => `${c.name} AS (\n${c.sql}\n)`),
    ];
    return {
      sql: `WITH ${ctes.join(',\n')}\n${select}`,
      params: [...this.#population.params, ...this.#params.values],
    };
  }
}
