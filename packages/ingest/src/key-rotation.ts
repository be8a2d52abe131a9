/**
 * Re-pseudonymisation under a new platform key version, without losing a single link: every
 * person id is replaced by the next link of the chain (`rotatePersonId` in core:
 * HMAC(K_platform_v+1, old id)), computed for all persons in the engine and applied to every table
 * that holds person ids in ONE transaction — the warehouse is either entirely under the old key or
 * entirely under the new one. The rotation is recorded in the batch ledger (the audit trail until
 * the transparency log takes it over).
 */
import { randomUUID } from 'node:crypto';
import { CDM_TABLES, HygieError, hmacPads } from '@hygie/core';
import { warehouseKeyId, warehouseKeyVersion } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import { bigintBlobSql, hmacSql, id63Sql } from './sql-hmac.js';

/** What a rotation did. */
export interface RotationReport {
  batchId: string;
  fromVersion: number;
  toVersion: number;
  persons: number;
  /** Rows updated per table. */
  rows: Record<string, number>;
  ms: number;
}

/** Where the warehouse's key is read (the batch ledger); re-exported for ingestion's users. */
export { warehouseKeyVersion };

/**
 * Refuses a master key other than the one the warehouse was pseudonymised with (the key id of
 * its latest published batch or rotation); a warehouse with no batch accepts any key.
 */
export async function assertKeyId(engine: WarehouseEngine, keyId: string): Promise<void> {
  const current = await warehouseKeyId(engine);
  if (current !== null && current !== keyId) {
    throw new HygieError(
      'HYG_KEY_ERROR',
      `this warehouse was pseudonymised with key ${current}, not ${keyId}`,
      { expected: current },
    );
  }
}

/**
 * Refuses keys whose platform version differs from the warehouse's: ids computed under another
 * version would never match the persons already there.
 */
export async function assertKeyVersion(
  engine: WarehouseEngine,
  keyId: string,
  version: number,
): Promise<void> {
  await assertKeyId(engine, keyId);
  const current = await warehouseKeyVersion(engine);
  if (current !== null && current !== version) {
    throw new HygieError(
      'HYG_KEY_ERROR',
      `the warehouse is under platform key version ${current} but the key says version ${version}` +
        (current > version ? ': finish the interrupted rotation with `hygie keys rotate`' : ''),
      { warehouseVersion: current, keyVersion: version },
    );
  }
}

/**
 * Moves every person id of the warehouse from platform key version `toVersion − 1` to
 * `toVersion`, whose key is `nextKey`. Refuses the rotation if two persons would share an id.
 */
export async function rotatePersonIds(
  engine: WarehouseEngine,
  keyId: string,
  toVersion: number,
  nextKey: Uint8Array,
): Promise<RotationReport> {
  const t0 = performance.now();
  const pads = hmacPads(nextKey);
  const batchId = randomUUID();
  const tables = CDM_TABLES.filter((t) => t.columns.some((c) => c.name === 'person_id')).map(
    (t) => t.name,
  );
  const rows: Record<string, number> = {};
  const persons = await engine.transaction(async (s) => {
    await s.execute(
      `CREATE OR REPLACE TEMP TABLE rotation AS
       SELECT old_id, ${id63Sql(hmacSql('$1', '$2', bigintBlobSql('old_id')))} AS new_id
       FROM (SELECT person_id AS old_id FROM hygie_person_identity UNION SELECT person_id FROM person)`,
      [pads.ipadHex, pads.opadHex],
    );
    const [c] = await s.query<{ n: number; distinct_new: number }>(
      'SELECT count(*) AS n, count(DISTINCT new_id) AS distinct_new FROM rotation',
    );
    if (Number(c?.n) !== Number(c?.distinct_new)) {
      throw new HygieError(
        'HYG_CONFLICT',
        'the new key would give two persons the same id: rotation refused, nothing changed',
      );
    }
    for (const t of tables) {
      const q = s.dialect.quoteIdent(t);
      rows[t] = await s.execute(
        `UPDATE ${q} SET person_id = r.new_id FROM rotation r WHERE ${q}.person_id = r.old_id`,
      );
    }
    await s.execute('DROP TABLE rotation');
    const now = new Date().toISOString();
    await s.execute(
      `INSERT INTO hygie_batch (batch_id, source, format, started_at, finished_at, status, key_id, platform_key_version, manifest)
       VALUES ($1, 'keys', 'key-rotation', $2::TIMESTAMP, $2::TIMESTAMP, 'published', $3, $4, $5)`,
      [
        batchId,
        now,
        keyId,
        toVersion,
        JSON.stringify({ fromVersion: toVersion - 1, toVersion, persons: Number(c?.n), rows }),
      ],
    );
    return Number(c?.n ?? 0);
  });
  return {
    batchId,
    fromVersion: toVersion - 1,
    toVersion,
    persons,
    rows,
    ms: Math.round(performance.now() - t0),
  };
}
