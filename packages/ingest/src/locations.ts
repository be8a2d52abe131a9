/**
 * Warehouse locations: one per commune (INSEE code) and one per département, loaded from
 * `@hygie/reference` when the warehouse is initialised. A person's location is a commune — never
 * an address line (DESIGN.md §4.1: addresses are generalised to commune and département).
 * `location_id` is computed from the INSEE code so that every connector, in SQL or JavaScript,
 * finds the same row without a lookup.
 */
import { communes, departements } from '@hygie/reference';
import type { WarehouseEngine, WarehouseSession } from '@hygie/warehouse';

/** location_id of an INSEE commune code (Corsica: 2A → 20000+n, 2B → 20500+n), or null. */
export function communeLocationId(code: string): number | null {
  if (/^2A\d{3}$/.test(code)) return 20_000 + Number(code.slice(2));
  if (/^2B\d{3}$/.test(code)) return 20_500 + Number(code.slice(2));
  return /^\d{5}$/.test(code) ? Number(code) : null;
}

/** location_id of a département (for persons known only to the département): 1,000,000 + rank. */
export function departementLocationId(dept: string): number | null {
  const i = departements().findIndex((d) => d.code === dept);
  return i < 0 ? null : 1_000_000 + i;
}

/** SQL computing the commune location_id of an INSEE code expression (NULL when not a code). */
export function communeLocationIdSql(code: string): string {
  return `(CASE WHEN regexp_full_match(${code}, '2A[0-9]{3}') THEN 20000 + substr(${code}, 3)::BIGINT
    WHEN regexp_full_match(${code}, '2B[0-9]{3}') THEN 20500 + substr(${code}, 3)::BIGINT
    WHEN regexp_full_match(${code}, '[0-9]{5}') THEN ${code}::BIGINT END)`;
}

/**
 * SQL for the INSEE commune code of SNDS residence columns: a 3-character département
 * (`001`, `201`/`202` or `02A`/`02B` for Corsica, `971`…) and a 3-digit commune.
 */
export function sndsInseeCodeSql(dept: string, commune: string): string {
  return `(CASE WHEN ${dept} IN ('201', '02A') THEN '2A' WHEN ${dept} IN ('202', '02B') THEN '2B'
    WHEN ${dept} LIKE '97%' THEN '97' ELSE substr(${dept}, 2, 2) END || ${commune})`;
}

/** Loads (replaces) the location rows of every commune and département. Returns rows loaded. */
export async function loadReferenceLocations(
  engine: WarehouseEngine | WarehouseSession,
): Promise<number> {
  const rows: unknown[][] = [];
  for (const c of communes()) {
    const id = communeLocationId(c.code);
    if (id === null) continue;
    rows.push([id, c.name, c.region, c.postalCode, c.dept, c.code, 'FR']);
  }
  departements().forEach((d, i) =>
    rows.push([1_000_000 + i, null, d.region, null, d.code, d.code, 'FR']),
  );
  const columns = [
    'location_id',
    'city',
    'state',
    'zip',
    'county',
    'location_source_value',
    'country_source_value',
  ];
  const run = async (s: WarehouseSession): Promise<number> => {
    await s.execute('DELETE FROM location');
    return s.appendRows('location', columns, rows);
  };
  return 'transaction' in engine ? engine.transaction(run) : run(engine);
}
