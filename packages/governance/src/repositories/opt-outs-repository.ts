/**
 * Citizens' opt-outs (the right to object to secondary use). Only the platform pseudonym — the
 * warehouse `person_id`, computed from the NIR with the key (`citizenPersonId`) — is stored, never
 * the NIR. An opt-out is reversible: withdrawing it keeps the row as history. Whether public-health
 * surveillance is exempt is configuration, recorded with each opt-out as it was shown to the
 * citizen. The server mirrors `listActivePersonIds` into the warehouse so that every research
 * query excludes those persons (DESIGN.md §4.4).
 *
 * The audit trail names the opt-out record (a random id), not the person id: the trail is meant to
 * be published (#6), and a list of opted-out person ids is nobody's business.
 *
 * Person ids follow the platform key: after a key rotation of the warehouse, `rotatePersonIds`
 * must move the opt-outs to the new version too (the store records which version its ids are at).
 */
import { HygieError, actorHasRole, rotatePersonId } from '@hygie/core';
import type { Actor } from '@hygie/core';
import type { Selectable } from 'kysely';
import { runAudited } from '../audited-operation.js';
import type { OptOutsTable } from '../database.js';
import { newId, requireRole } from '../guards.js';
import type { StoreContext } from '../store-context.js';

/** An opt-out, active or withdrawn. */
export interface OptOut {
  readonly id: string;
  readonly personId: bigint;
  readonly since: string;
  readonly withdrawnAt: string | null;
  /** True when surveillance was exempt from this opt-out (configuration at the time). */
  readonly surveillanceExempt: boolean;
}

/** What an opt-out list is for. */
export type OptOutPurpose = 'research' | 'surveillance';

const MAX_PERSON_ID = (1n << 63n) - 1n;

/** Checks a platform person id: a bigint in 1..2^63−1 (as the pseudonymisation produces). */
export function checkPersonId(personId: bigint): string {
  if (typeof personId !== 'bigint' || personId < 1n || personId > MAX_PERSON_ID) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      'a person id is a platform pseudonym: a bigint in 1..2^63−1',
      {
        argument: 'personId',
      },
    );
  }
  return personId.toString(10);
}

function toOptOut(row: Selectable<OptOutsTable>): OptOut {
  return {
    id: row.id,
    personId: BigInt(row.person_id),
    since: row.since,
    withdrawnAt: row.withdrawn_at,
    surveillanceExempt: Number(row.surveillance_exempt) === 1,
  };
}

/** The opt-outs repository. */
export interface OptOutsRepository {
  /** Records a person's opt-out (the citizen, an administrator, the platform). `HYG_CONFLICT` if already active. */
  optOut(actor: Actor, personId: bigint): Promise<OptOut>;
  /** Withdraws a person's active opt-out. `HYG_NOT_FOUND` if there is none. */
  withdraw(actor: Actor, personId: bigint): Promise<OptOut>;
  /** True when the person has an active opt-out. */
  isOptedOut(personId: bigint): Promise<boolean>;
  /** The person's active opt-out, or null. */
  current(personId: bigint): Promise<OptOut | null>;
  /** The person's opt-outs, active and withdrawn, oldest first. */
  history(personId: bigint): Promise<OptOut[]>;
  /**
   * Person ids to exclude, sorted: for research (default), every active opt-out; for
   * surveillance, those whose opt-out was not surveillance-exempt.
   */
  listActivePersonIds(purpose?: OptOutPurpose): Promise<bigint[]>;
  /** The platform key version the stored person ids are at. */
  platformKeyVersion(): Promise<number>;
  /**
   * Moves every stored person id one platform key version on (`rotatePersonId` with the next
   * version's key), in one transaction; `toVersion` must be the current version + 1.
   */
  rotatePersonIds(actor: Actor, nextPlatformKey: Uint8Array, toVersion: number): Promise<number>;
}

/** The opt-outs repository over a store context. */
export function optOutsRepository(ctx: StoreContext): OptOutsRepository {
  async function keyVersion(db = ctx.db): Promise<number> {
    const r = await db
      .selectFrom('gov_settings')
      .select('value')
      .where('key', '=', 'platform_key_version')
      .executeTakeFirstOrThrow();
    return Number(r.value);
  }

  async function current(personId: bigint): Promise<OptOut | null> {
    const row = await ctx.db
      .selectFrom('gov_opt_outs')
      .selectAll()
      .where('person_id', '=', checkPersonId(personId))
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row ? toOptOut(row) : null;
  }

  return {
    async optOut(actor, personId) {
      return runAudited(
        ctx,
        actor,
        { action: 'opt_out.create', targetType: 'opt_out' },
        async (op) => {
          requireRole(actor, 'opt_out.create', 'citizen', 'admin', 'system');
          const pid = checkPersonId(personId);
          const active = await op.db
            .selectFrom('gov_opt_outs')
            .select('id')
            .where('person_id', '=', pid)
            .where('withdrawn_at', 'is', null)
            .executeTakeFirst();
          if (active) {
            op.setTarget(active.id);
            throw new HygieError('HYG_CONFLICT', 'this person has already opted out', {
              reason: 'already-opted-out',
            });
          }
          const id = newId();
          op.setTarget(id);
          const exempt = ctx.settings.surveillanceExemptFromOptOut;
          op.detail({ surveillanceExempt: exempt });
          await op.db
            .insertInto('gov_opt_outs')
            .values({ id, person_id: pid, since: op.nowIso, surveillance_exempt: exempt ? 1 : 0 })
            .execute();
          return { id, personId, since: op.nowIso, withdrawnAt: null, surveillanceExempt: exempt };
        },
      );
    },

    async withdraw(actor, personId) {
      return runAudited(
        ctx,
        actor,
        { action: 'opt_out.withdraw', targetType: 'opt_out' },
        async (op) => {
          requireRole(actor, 'opt_out.withdraw', 'citizen', 'admin', 'system');
          const pid = checkPersonId(personId);
          const row = await op.db
            .selectFrom('gov_opt_outs')
            .selectAll()
            .where('person_id', '=', pid)
            .where('withdrawn_at', 'is', null)
            .executeTakeFirst();
          if (!row)
            throw new HygieError('HYG_NOT_FOUND', 'this person has no active opt-out', {
              reason: 'no-opt-out',
            });
          op.setTarget(row.id);
          await op.db
            .updateTable('gov_opt_outs')
            .set({ withdrawn_at: op.nowIso })
            .where('id', '=', row.id)
            .execute();
          return toOptOut({ ...row, withdrawn_at: op.nowIso });
        },
      );
    },

    isOptedOut: async (personId) => (await current(personId)) !== null,

    current,

    async history(personId) {
      const rows = await ctx.db
        .selectFrom('gov_opt_outs')
        .selectAll()
        .where('person_id', '=', checkPersonId(personId))
        .orderBy('since')
        .execute();
      return rows.map(toOptOut);
    },

    async listActivePersonIds(purpose = 'research') {
      let q = ctx.db
        .selectFrom('gov_opt_outs')
        .select('person_id')
        .where('withdrawn_at', 'is', null);
      if (purpose === 'surveillance') q = q.where('surveillance_exempt', '=', 0);
      const ids = (await q.execute()).map((r) => BigInt(r.person_id));
      return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },

    platformKeyVersion: () => keyVersion(),

    async rotatePersonIds(actor, nextPlatformKey, toVersion) {
      return runAudited(
        ctx,
        actor,
        { action: 'opt_out.rotate_keys', targetType: 'opt_out' },
        async (op) => {
          if (!actorHasRole(actor, 'admin', 'system')) {
            throw new HygieError(
              'HYG_FORBIDDEN',
              'only an administrator or the platform rotates keys',
              { reason: 'role-required' },
            );
          }
          const from = await keyVersion(op.db);
          if (toVersion !== from + 1) {
            throw new HygieError(
              'HYG_CONFLICT',
              `the opt-outs are at platform key version ${from}; the next is ${from + 1}`,
              {
                reason: 'key-version-mismatch',
                current: from,
              },
            );
          }
          const rows = await op.db.selectFrom('gov_opt_outs').select(['id', 'person_id']).execute();
          for (const r of rows) {
            const next = rotatePersonId(nextPlatformKey, BigInt(r.person_id)).toString(10);
            await op.db
              .updateTable('gov_opt_outs')
              .set({ person_id: next })
              .where('id', '=', r.id)
              .execute();
          }
          await op.db
            .updateTable('gov_settings')
            .set({ value: String(toVersion) })
            .where('key', '=', 'platform_key_version')
            .execute();
          op.detail({ from, to: toVersion, rows: rows.length });
          return rows.length;
        },
      );
    },
  };
}
