/**
 * The differencing memory in the warehouse (`hygie_disclosed_cell`, `hygie_disclosed_member`,
 * migration 4): every cell a permit's project has been shown, with the persons behind it, and an
 * `OverlapOracle` (docs/disclosure-control.md, "Differencing") that computes
 * |A Δ B| = |A| + |B| − 2·|A ∩ B| in SQL over those person lists.
 *
 * A run's candidate cells are *staged* first — written with a provisional run id, committed —
 * so that the oracle compares every pair in SQL, the current run's cells included, and so that
 * two concurrent runs of one permit already see each other's cells (stricter, never looser).
 * Then the cells disclosure control withheld are discarded, and the rest are confirmed under the
 * run's id once the run is recorded. A run that fails before its result is recorded discards all
 * it staged: nothing of it was shown.
 *
 * Person ids never leave the warehouse from here: members go in through the membership rows the
 * permit's data access object returned, and only counts come back.
 */
import { randomUUID } from 'node:crypto';
import type { OverlapOracle, PopulationRef } from '@hygie/core';
import { SqlParams } from '@hygie/analytics';
import type { SqlParam, WarehouseEngine } from '@hygie/warehouse';

/** A cell to stage: its population and what it answers. */
export interface StagedCellInput {
  /** The id the differencing defence knows the cell by (unique in the run). */
  readonly ref: string;
  readonly measure: string;
  /** The cell's strata, canonical JSON. */
  readonly cellKey: string;
  /** SHA-256 of the cell's question (query, measure, strata). */
  readonly definition: string;
  readonly persons: number;
  /**
   * The persons behind the cell (platform person ids), when the caller has them; otherwise
   * `stageMembers` writes them from the membership statement.
   */
  readonly members?: readonly (number | bigint)[];
}

/** Pairs per statement of the batch oracle (a VALUES list of that many rows). */
const PAIRS_PER_STATEMENT = 5000;

/** Earlier cells are known to the defence by this prefix and their cell id. */
const EARLIER_PREFIX = 'disclosed:';

/** The cells of one run in the differencing memory of its permit. */
export class DisclosedCells {
  /** Provisional run id of the staged cells, until `confirm`. */
  private readonly provisional = `pending:${randomUUID()}`;
  /** Staged cell ids by ref. */
  private readonly staged = new Map<string, number>();
  /**
   * Refs of current cells the oracle found identical (Δ = 0) to an earlier cell of the same
   * definition: the same question asked again, with the same answer. Remembering them again
   * would add nothing — any later comparison with the earlier copy gives the same result — and
   * would make the memory, and every later comparison, grow with each repeat of a query.
   */
  readonly repeats = new Set<string>();

  /**
   * `permitId`: the permit the run's cells are filed under. `memoryPermitIds`: the permits whose
   * earlier cells this run is compared with — every permit of the project, not only this one:
   * one team holding two permits must not difference one against the other.
   */
  constructor(
    private readonly warehouse: WarehouseEngine,
    private readonly permitId: string,
    private readonly now: () => Date,
    private readonly memoryPermitIds: readonly string[] = [permitId],
  ) {}

  private p(n: number): string {
    return this.warehouse.dialect.placeholder(n);
  }

  /** Writes the cells and their members (one transaction), under the provisional run id. */
  async stage(cells: readonly StagedCellInput[]): Promise<void> {
    if (cells.length === 0) return;
    const at = this.now().toISOString();
    await this.warehouse.transaction(async (tx) => {
      const [row] = await tx.query<{ m: number | bigint | null }>(
        'SELECT MAX(cell_id) AS m FROM hygie_disclosed_cell',
      );
      let next = Number(row?.m ?? 0) + 1;
      const cellRows: unknown[][] = [];
      const memberRows: unknown[][] = [];
      for (const c of cells) {
        const id = next++;
        this.staged.set(c.ref, id);
        cellRows.push([
          id,
          this.permitId,
          this.provisional,
          c.measure,
          c.cellKey,
          c.definition,
          c.persons,
          at,
        ]);
        for (const m of c.members ?? []) memberRows.push([id, m]);
      }
      await tx.appendRows(
        'hygie_disclosed_cell',
        [
          'cell_id',
          'permit_id',
          'run_id',
          'measure',
          'cell_key',
          'definition',
          'persons',
          'disclosed_at',
        ],
        cellRows,
      );
      if (memberRows.length > 0) {
        await tx.appendRows('hygie_disclosed_member', ['cell_id', 'person_id'], memberRows);
      }
    });
  }

  /**
   * Writes the members of staged cells straight from a membership statement (the permit data
   * access object's `stageMembership`): `INSERT … SELECT` joining its rows to the cells by their
   * strata (NULL matches NULL), counted persons only. Returns whether the cells are disjoint (no
   * person in two of them), which spares comparing them with each other.
   */
  async stageMembers(
    cells: readonly { readonly ref: string; readonly strata: readonly (string | null)[] }[],
    membership: { readonly sql: string; readonly params: readonly SqlParam[] },
    dimensions: readonly string[],
  ): Promise<{ disjoint: boolean }> {
    const ids = cells.map((c) => {
      const id = this.staged.get(c.ref);
      if (id === undefined) throw new Error(`cell ${c.ref} was not staged`);
      return id;
    });
    if (ids.length === 0) return { disjoint: true };
    const d = this.warehouse.dialect;
    // Strata are bound after the membership statement's own parameters.
    const strata = new SqlParams(d, membership.params.length);
    const bind = (v: string | null): string => d.cast(strata.add(v), 'text');
    const keys = dimensions.map((_, i) => `k${i}`);
    // Cell ids are integers the store handed out; strata are bound.
    const rows = cells.map(
      (c, i) =>
        `(${[String(ids[i]), ...dimensions.map((_, j) => bind(c.strata[j] ?? null))].join(', ')})`,
    );
    // NULL strata (unknown sex, no residence) match NULL: a sentinel no label can hold.
    const sentinel = "'\u0001'";
    const on =
      dimensions.length === 0
        ? 'TRUE'
        : dimensions
            .map(
              (dim, j) =>
                `COALESCE(${d.cast(`m.d_${dim}`, 'text')}, ${sentinel}) = COALESCE(c.k${j}, ${sentinel})`,
            )
            .join(' AND ');
    const [first, last] = [Math.min(...ids), Math.max(...ids)];
    return this.warehouse.transaction(async (tx) => {
      for (const setting of d.analyticSettings) await tx.execute(setting);
      await tx.execute(
        `INSERT INTO hygie_disclosed_member (cell_id, person_id)
         SELECT c.cell_id, m.person_id
         FROM (${membership.sql}) m
         JOIN (VALUES ${rows.join(', ')}) AS c(${['cell_id', ...keys].join(', ')}) ON ${on}
         WHERE m.counted = 1`,
        [...membership.params, ...strata.values],
      );
      const [row] = await tx.query<{ n: number | bigint; p: number | bigint }>(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT person_id) AS p FROM hygie_disclosed_member
         WHERE cell_id BETWEEN ${this.p(1)} AND ${this.p(2)}`,
        [first, last],
      );
      return { disjoint: Number(row?.n ?? 0) === Number(row?.p ?? 0) };
    });
  }

  /**
   * Cells the permit showed before (other runs), whose size is within `k` − 1 of some current
   * size — the others are safe by size alone.
   */
  async earlier(sizes: readonly number[], k: number): Promise<PopulationRef[]> {
    if (sizes.length === 0) return [];
    const permits = [...new Set([this.permitId, ...this.memoryPermitIds])];
    const rows = await this.warehouse.query<{
      cell_id: number | bigint;
      persons: number | bigint;
      definition: string;
    }>(
      `SELECT cell_id, persons, definition FROM hygie_disclosed_cell
       WHERE run_id <> ${this.p(1)}
         AND permit_id IN (${permits.map((_, i) => this.p(i + 2)).join(', ')})
       ORDER BY cell_id`,
      [this.provisional, ...permits],
    );
    return rows
      .map((r) => ({
        id: `${EARLIER_PREFIX}${String(r.cell_id)}`,
        persons: Number(r.persons),
        definition: r.definition,
      }))
      .filter((r) => sizes.some((s) => Math.abs(s - r.persons) < k));
  }

  private cellIdOf(ref: PopulationRef): number {
    const id = ref.id.startsWith(EARLIER_PREFIX)
      ? Number(ref.id.slice(EARLIER_PREFIX.length))
      : this.staged.get(ref.id);
    // A cell that was not staged cannot be compared: a programming error, never a guess.
    if (id === undefined || !Number.isSafeInteger(id) || id < 1) {
      throw new Error(`cell ${ref.id} was not staged`);
    }
    return id;
  }

  /**
   * |A Δ B| in SQL over the stored person lists: pair by pair, or many pairs in one statement
   * per chunk (the batch form `checkDifferencing` uses): sizes and intersections by hash joins
   * on (cell, person), never a query per pair.
   */
  readonly oracle: OverlapOracle = {
    symmetricDifferences: async (pairs) => {
      const ids = pairs.map(([a, b]) => [this.cellIdOf(a), this.cellIdOf(b)] as const);
      const out: number[] = new Array<number>(ids.length).fill(0);
      for (let from = 0; from < ids.length; from += PAIRS_PER_STATEMENT) {
        const chunk = ids.slice(from, from + PAIRS_PER_STATEMENT);
        // Cell ids are integers the store handed out (checked in cellIdOf): literals are safe.
        const values = chunk.map(([a, b], i) => `(${from + i}, ${a}, ${b})`).join(', ');
        const rows = await this.warehouse.query<{ k: number | bigint; d: number | bigint }>(
          `WITH q(k, a, b) AS (VALUES ${values}),
           cells AS (SELECT a AS cell_id FROM q UNION SELECT b FROM q),
           sizes AS (
             SELECT m.cell_id, COUNT(*) AS n FROM hygie_disclosed_member m
             JOIN cells c ON c.cell_id = m.cell_id GROUP BY m.cell_id),
           common AS (
             SELECT q.k, COUNT(*) AS n FROM q
             JOIN hygie_disclosed_member x ON x.cell_id = q.a
             JOIN hygie_disclosed_member y ON y.cell_id = q.b AND y.person_id = x.person_id
             GROUP BY q.k)
           SELECT q.k, COALESCE(sa.n, 0) + COALESCE(sb.n, 0) - 2 * COALESCE(c.n, 0) AS d
           FROM q LEFT JOIN sizes sa ON sa.cell_id = q.a LEFT JOIN sizes sb ON sb.cell_id = q.b
           LEFT JOIN common c ON c.k = q.k`,
        );
        for (const r of rows) out[Number(r.k)] = Number(r.d);
      }
      pairs.forEach(([a, b], i) => {
        const sameQuestion = a.definition !== undefined && a.definition === b.definition;
        if (out[i] === 0 && sameQuestion && b.id.startsWith(EARLIER_PREFIX)) this.repeats.add(a.id);
      });
      return out;
    },
    symmetricDifference: async (current, earlier) => {
      const a = this.cellIdOf(current);
      const b = this.cellIdOf(earlier);
      const [row] = await this.warehouse.query<{ d: number | bigint }>(
        `SELECT
           (SELECT COUNT(*) FROM hygie_disclosed_member WHERE cell_id = ${this.p(1)})
         + (SELECT COUNT(*) FROM hygie_disclosed_member WHERE cell_id = ${this.p(2)})
         - 2 * (SELECT COUNT(*) FROM hygie_disclosed_member x
                JOIN hygie_disclosed_member y ON y.person_id = x.person_id
                WHERE x.cell_id = ${this.p(3)} AND y.cell_id = ${this.p(4)}) AS d`,
        [a, b, a, b],
      );
      return Number(row?.d ?? 0);
    },
  };

  /** Forgets staged cells that were not shown (by ref); all of them without argument. */
  async discard(refs?: readonly string[]): Promise<void> {
    const ids = (refs ?? [...this.staged.keys()])
      .map((r) => this.staged.get(r))
      .filter((id): id is number => id !== undefined);
    if (ids.length === 0) return;
    const list = ids.map((_, i) => this.p(i + 1)).join(', ');
    await this.warehouse.transaction(async (tx) => {
      await tx.execute(`DELETE FROM hygie_disclosed_member WHERE cell_id IN (${list})`, ids);
      await tx.execute(`DELETE FROM hygie_disclosed_cell WHERE cell_id IN (${list})`, ids);
    });
    for (const r of refs ?? [...this.staged.keys()]) this.staged.delete(r);
  }

  /** Files the cells still staged under the recorded run. */
  async confirm(runId: string): Promise<void> {
    await this.warehouse.execute(
      `UPDATE hygie_disclosed_cell SET run_id = ${this.p(1)} WHERE run_id = ${this.p(2)}`,
      [runId, this.provisional],
    );
  }
}
