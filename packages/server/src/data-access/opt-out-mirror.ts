/**
 * The warehouse mirror of the opt-out register (`hygie_opt_out`). The governance store is the
 * register (with history and audit); research SQL runs in the warehouse, so the persons to
 * exclude must be there too, as a table the population SQL joins against (DESIGN.md §4.4).
 *
 * The mirror is replaced whole, never patched: whatever happened in between (an opt-out recorded
 * by the CLI, a failed earlier sync, a restored warehouse), one sync makes it equal to the
 * register again. The server syncs at start and after every opt-out or withdrawal.
 */
import { HygieError } from '@hygie/core';
import type { GovernanceStore } from '@hygie/governance';
import type { WarehouseEngine } from '@hygie/warehouse';

/** What the mirror needs of the governance store. */
export type OptOutRegister = Pick<GovernanceStore, 'optOuts'>;

/** The outcome of a sync. */
export interface OptOutMirrorReport {
  /** Persons in the mirror (active opt-outs): excluded from research. */
  readonly persons: number;
  /** Of those, persons whose opt-out also applies to surveillance. */
  readonly surveillanceExcluded: number;
}

interface MirrorRow {
  person_id: number | bigint;
  surveillance_excluded: boolean;
  since: string | null;
}

/** One sync at a time per warehouse: two replacing the same table would conflict. */
const running = new WeakMap<WarehouseEngine, Promise<unknown>>();

function serialised<T>(warehouse: WarehouseEngine, fn: () => Promise<T>): Promise<T> {
  const previous = running.get(warehouse) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  running.set(
    warehouse,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * Replaces `hygie_opt_out` with the register's active opt-outs, in one warehouse transaction
 * (DELETE, then a bulk append — not row-by-row INSERT). Two list queries give the persons and
 * their surveillance flag; the `since` of each opt-out is looked up only for persons new to the
 * mirror, whose flag changed, or named in `refresh` (after a person's own opt-out), so a sync
 * after one opt-out costs one lookup, not one per opted-out person.
 *
 * Call it at server start and after every opt-out or withdrawal. Concurrent calls on the same
 * warehouse run one after the other; each reads the register when its turn comes.
 */
export function syncOptOutMirror(
  store: OptOutRegister,
  warehouse: WarehouseEngine,
  options: { readonly refresh?: readonly bigint[] } = {},
): Promise<OptOutMirrorReport> {
  return serialised(warehouse, async () => {
    const active = await store.optOuts.listActivePersonIds('research');
    const surveillance = new Set(await store.optOuts.listActivePersonIds('surveillance'));
    const mirrored = new Map(
      (
        await warehouse.query<MirrorRow>(
          'SELECT person_id, surveillance_excluded, since FROM hygie_opt_out',
        )
      ).map((r) => [BigInt(r.person_id), r]),
    );
    const refresh = new Set(options.refresh ?? []);
    const rows: [bigint, boolean, string | null][] = [];
    for (const personId of active) {
      const excluded = surveillance.has(personId);
      const known = mirrored.get(personId);
      let since = known?.since ?? null;
      if (!known || known.surveillance_excluded !== excluded || refresh.has(personId)) {
        since = (await store.optOuts.current(personId))?.since ?? null;
      }
      rows.push([personId, excluded, since]);
    }
    await warehouse.transaction(async (tx) => {
      await tx.execute('DELETE FROM hygie_opt_out');
      if (rows.length > 0) {
        await tx.appendRows('hygie_opt_out', ['person_id', 'surveillance_excluded', 'since'], rows);
      }
    });
    return { persons: rows.length, surveillanceExcluded: rows.filter((r) => r[1]).length };
  });
}

/**
 * The server's view of the mirror: whether it is known to match the register. Every opt-out or
 * withdrawal marks it stale before it is recorded; a sync that read the register after the last
 * change marks it fresh. Data access calls `ensureFresh` first: a stale mirror is synced on the
 * spot, and if that fails the access is refused — a result never counts a person whose opt-out
 * the warehouse has not seen yet (DESIGN.md §4.4).
 */
export class OptOutMirror {
  /** Bumped by every change to the register; a sync started at generation g covers changes ≤ g. */
  #generation = 1;
  #synced = 0;

  constructor(
    private readonly store: OptOutRegister,
    private readonly warehouse: WarehouseEngine,
  ) {}

  /** True when the last successful sync read the register after its last change. */
  get fresh(): boolean {
    return this.#synced === this.#generation;
  }

  /** Call before changing the register. */
  markStale(): void {
    this.#generation++;
  }

  /** Syncs the mirror with the register (see `syncOptOutMirror`). */
  async sync(options: { readonly refresh?: readonly bigint[] } = {}): Promise<OptOutMirrorReport> {
    const generation = this.#generation;
    const report = await syncOptOutMirror(this.store, this.warehouse, options);
    if (generation > this.#synced) this.#synced = generation;
    return report;
  }

  /** Syncs when stale; throws HYG_UNAVAILABLE when the mirror cannot be brought up to date. */
  async ensureFresh(): Promise<void> {
    if (this.fresh) return;
    try {
      await this.sync();
    } catch {
      throw new HygieError(
        'HYG_UNAVAILABLE',
        'recent opt-outs could not be applied to the warehouse yet; data access resumes once they are',
        { reason: 'opt-out-mirror-stale' },
      );
    }
    if (!this.fresh) {
      throw new HygieError('HYG_UNAVAILABLE', 'opt-outs are being applied; retry in a moment', {
        reason: 'opt-out-mirror-stale',
      });
    }
  }
}
