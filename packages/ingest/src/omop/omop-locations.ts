/**
 * Residences of an OMOP export generalised to Hygie's locations (DESIGN.md §4.1: an address
 * becomes a commune or a département; address lines and coordinates are never read). For each
 * `location.csv` row, in SQL, the first of:
 *
 * 1. `location_source_value`, then `county`, holding an INSEE commune code Hygie knows;
 * 2. `zip`, when one commune has it as its postal code — or several do and one has the `city`;
 * 3. `county` holding a département code, else the département of the `zip`;
 *
 * else none (NULL). The result is `omop_location_map(src_id, location_id)`.
 */
import type { WarehouseSession } from '@hygie/warehouse';
import { communeLocationIdSql } from '../locations.js';
import { OMOP_STAGING } from './omop-tables.js';
import { tagDuplicates } from './omop-tags.js';

/** First location id of a département row (`locations.ts`). */
const DEPARTEMENT_IDS = 1_000_000;

/** SQL: a place name reduced to upper-case letters and digits, without accents. */
const nameKey = (v: string): string =>
  `regexp_replace(upper(strip_accents(${v})), '[^A-Z0-9]', '', 'g')`;

/** Builds `omop_location_map` from the staged location rows. */
export async function mapOmopLocations(s: WarehouseSession): Promise<void> {
  const stage = OMOP_STAGING.location.stage;
  await tagDuplicates(s, stage, 'location_id');
  const commune = (code: string): string =>
    `(SELECT l.location_id FROM location l WHERE l.location_id < ${DEPARTEMENT_IDS}
       AND l.location_id = ${communeLocationIdSql(code)})`;
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE omop_location_map AS
     WITH src AS (
       SELECT location_id AS src_id,
         upper(regexp_replace(location_source_value, '\\s', '', 'g')) AS code,
         upper(regexp_replace(county, '\\s', '', 'g')) AS county,
         regexp_replace(zip, '\\s', '', 'g') AS zip,
         ${nameKey('city')} AS city
       FROM ${stage} WHERE _reason IS NULL),
     communes AS (
       SELECT location_id, zip, ${nameKey('city')} AS city FROM location
       WHERE location_id < ${DEPARTEMENT_IDS}),
     departements AS (SELECT location_id, county AS code FROM location WHERE location_id >= ${DEPARTEMENT_IDS}),
     found AS (
       SELECT src_id,
         coalesce(
           ${commune('code')},
           ${commune('county')},
           (SELECT CASE WHEN count(*) = 1 THEN min(c.location_id) END FROM communes c WHERE c.zip = src.zip),
           (SELECT CASE WHEN count(*) = 1 THEN min(c.location_id) END FROM communes c
              WHERE c.zip = src.zip AND c.city = src.city),
           (SELECT d.location_id FROM departements d WHERE d.code = CASE
              WHEN regexp_full_match(src.county, '[0-9]') THEN '0' || src.county ELSE src.county END),
           (SELECT d.location_id FROM departements d WHERE regexp_full_match(src.zip, '[0-9]{5}')
              AND d.code = CASE WHEN src.zip LIKE '97%' THEN substr(src.zip, 1, 3)
                                WHEN src.zip LIKE '20%' THEN NULL ELSE substr(src.zip, 1, 2) END)
         ) AS location_id
       FROM src)
     SELECT src_id, location_id FROM found`,
  );
}
