/**
 * Which master key and platform key version the warehouse's person ids are under, read from the
 * batch ledger (`hygie_batch`): what ingestion checks a key against and what administrators see.
 */
import type { WarehouseSession } from './engine.js';

/**
 * The platform key version the warehouse's person ids are under: the highest version of a
 * published batch or rotation; null for a warehouse nothing was ingested into yet.
 */
export async function warehouseKeyVersion(session: WarehouseSession): Promise<number | null> {
  const [r] = await session.query<{ v: unknown }>(
    `SELECT max(platform_key_version) AS v FROM hygie_batch WHERE status = 'published'`,
  );
  return r?.v === null || r?.v === undefined ? null : Number(r.v);
}

/**
 * The id of the master key the warehouse was pseudonymised with: that of its latest published
 * batch or rotation; null for a warehouse nothing was ingested into yet.
 */
export async function warehouseKeyId(session: WarehouseSession): Promise<string | null> {
  const [k] = await session.query<{ key_id: string }>(
    `SELECT key_id FROM hygie_batch WHERE status = 'published' AND key_id IS NOT NULL
     ORDER BY started_at DESC LIMIT 1`,
  );
  return k?.key_id ?? null;
}
