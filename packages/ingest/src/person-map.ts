/**
 * Pseudonymisation at the border, in the engine: every distinct person identifier staged by a
 * connector (table `stg_ident(raw, namespace)`) becomes a warehouse `person_id` through the two
 * keyed levels of `@hygie/core/pseudonym.ts`, computed once per distinct identifier with the
 * engine's SHA-256. Raw NIRs are normalised first (separators removed, key checked and dropped);
 * 17-character source pseudonyms are taken as already source-pseudonymised; identifiers without a
 * NIR are pseudonymised inside their source's namespace. The result, `person_map`, lives in a
 * temporary table for the batch and is dropped with it: neither NIRs nor source pseudonyms are
 * ever stored.
 */
import { HygieError, NIR_KIND, hmacPads, namespaceKind } from '@hygie/core';
import type { WarehouseSession } from '@hygie/warehouse';
import type { PseudonymKeys } from './pseudonym-keys.js';
import {
  NIR_SQL_PATTERN,
  bigintBlobSql,
  hmacSql,
  id63Sql,
  nirKeySql,
  signed64Sql,
} from './sql-hmac.js';

/**
 * SQL: the source pseudonym of a raw identifier expression — kept as is when it already is one
 * (17 upper-case hex characters), computed with the source NIR key (HMAC padded keys as
 * placeholders `ipad`, `opad`) for a valid NIR, NULL otherwise. Lets a connector stage source
 * pseudonyms instead of raw NIRs.
 */
export function sourcePseudonymSql(raw: string, ipad: string, opad: string): string {
  const v = `upper(regexp_replace(${raw}, '[ .-]', '', 'g'))`;
  return `(CASE
    WHEN regexp_full_match(${v}, '[0-9A-F]{17}') THEN ${v}
    WHEN regexp_full_match(${v}, '${NIR_SQL_PATTERN}')
      AND (length(${v}) = 13 OR ${nirKeySql(`substr(${v}, 1, 13)`)} = substr(${v}, 14, 2)::INTEGER)
      THEN upper(substr(${hmacSql(ipad, opad, `encode(substr(${v}, 1, 13))`)}, 1, 17))
  END)`;
}

/** The staging table connectors fill with person identifiers (duplicates allowed). */
export const IDENT_TABLE = 'stg_ident';

/** Creates `stg_ident`. */
export async function createIdentTable(s: WarehouseSession): Promise<void> {
  await s.execute(`CREATE OR REPLACE TEMP TABLE ${IDENT_TABLE} (raw VARCHAR, namespace VARCHAR)`);
}

/** Outcome of building the person map. */
export interface PersonMapReport {
  identifiers: number;
  invalid: number;
  persons: number;
}

/**
 * Builds `person_map(raw, namespace, kind, person_id, fingerprint)` from `stg_ident`
 * (person_id NULL for an identifier that is neither a valid NIR nor a source pseudonym), then
 * refuses the batch if two identities share a person_id, within the batch or with a person
 * already in the warehouse.
 */
export async function buildPersonMap(
  s: WarehouseSession,
  keys: PseudonymKeys,
  namespace: string,
): Promise<PersonMapReport> {
  const src = hmacPads(keys.sourceNirKey());
  const ns = hmacPads(keys.sourceNamespaceKey(namespace));
  const [first, ...later] = keys.platformKeys().map(hmacPads);
  if (!first) throw new HygieError('HYG_INTERNAL', 'no platform key');
  const params = [src.ipadHex, src.opadHex, ns.ipadHex, ns.opadHex, first.ipadHex, first.opadHex];
  const nirKind = s.dialect.quoteLiteral(NIR_KIND);
  const nsKind = s.dialect.quoteLiteral(namespaceKind(namespace));
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE person_map AS
     WITH d AS (SELECT DISTINCT raw, namespace FROM ${IDENT_TABLE} WHERE raw IS NOT NULL),
     n AS (SELECT raw, namespace, upper(regexp_replace(raw, '[ .-]', '', 'g')) AS v FROM d),
     c AS (
       SELECT raw, namespace, v,
         CASE
           WHEN namespace IS NOT NULL THEN 'local'
           WHEN regexp_full_match(v, '[0-9A-F]{17}') THEN 'p1'
           WHEN regexp_full_match(v, '${NIR_SQL_PATTERN}')
             AND (length(v) = 13 OR ${nirKeySql('substr(v, 1, 13)')} = substr(v, 14, 2)::INTEGER) THEN 'nir'
           ELSE 'invalid'
         END AS form
       FROM n),
     p AS (
       SELECT raw, namespace, form,
         CASE form
           WHEN 'p1' THEN v
           WHEN 'nir' THEN upper(substr(${hmacSql('$1', '$2', 'encode(substr(v, 1, 13))')}, 1, 17))
           WHEN 'local' THEN upper(substr(${hmacSql('$3', '$4', 'encode(raw)')}, 1, 17))
         END AS p1,
         CASE WHEN namespace IS NULL THEN ${nirKind} ELSE ${nsKind} END AS kind
       FROM c),
     h AS (SELECT raw, namespace, form, kind, ${hmacSql('$5', '$6', "encode(kind || ':' || p1)")} AS h FROM p)
     SELECT raw, namespace, kind,
       CASE WHEN form = 'invalid' THEN NULL ELSE ${id63Sql('h')} END AS person_id,
       CASE WHEN form = 'invalid' THEN NULL ELSE ${signed64Sql('h')} END AS fingerprint
     FROM h`,
    params,
  );
  // Later platform key versions chain over the previous id (key rotation keeps every link).
  for (const pads of later) {
    await s.execute(
      `UPDATE person_map SET person_id = ${id63Sql(hmacSql('$1', '$2', bigintBlobSql('person_id')))} WHERE person_id IS NOT NULL`,
      [pads.ipadHex, pads.opadHex],
    );
  }
  const within = await s.query<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT person_id FROM person_map WHERE person_id IS NOT NULL
       GROUP BY person_id HAVING count(DISTINCT fingerprint) > 1 OR count(DISTINCT kind) > 1)`,
  );
  const across = await s.query<{ n: number }>(
    `SELECT count(*) AS n FROM person_map m JOIN hygie_person_identity i ON i.person_id = m.person_id
     WHERE i.fingerprint <> m.fingerprint OR i.kind <> m.kind`,
  );
  const collisions = Number(within[0]?.n ?? 0) + Number(across[0]?.n ?? 0);
  if (collisions > 0) {
    throw new HygieError(
      'HYG_CONFLICT',
      `pseudonym collision: ${collisions} person id(s) would be shared by different identities; the batch is refused`,
      { collisions },
    );
  }
  const [r] = await s.query<{ identifiers: number; invalid: number; persons: number }>(
    `SELECT count(*) AS identifiers, count(*) FILTER (WHERE person_id IS NULL) AS invalid,
            count(DISTINCT person_id) AS persons FROM person_map`,
  );
  return {
    identifiers: Number(r?.identifiers ?? 0),
    invalid: Number(r?.invalid ?? 0),
    persons: Number(r?.persons ?? 0),
  };
}
