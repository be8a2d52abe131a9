/**
 * A small warehouse for the population compiler tests — persons of both sexes, several ages, four
 * départements in three régions, conditions under a three-level concept hierarchy. Also used by
 * the server's data access tests (`@hygie/analytics/testing`).
 */
import type { WarehouseEngine } from '@hygie/warehouse';

/** OMOP gender concepts. */
export const FEMALE = 8532;
export const MALE = 8507;
export const UNKNOWN_SEX = 8551;

/** Locations: id → [département, région]. */
export const LOCATIONS: Readonly<Record<number, readonly [string, string]>> = {
  1: ['75', '11'], // Paris, Île-de-France
  2: ['69', '84'], // Rhône, Auvergne-Rhône-Alpes
  3: ['2A', '94'], // Corse-du-Sud, Corse
  4: ['13', '93'], // Bouches-du-Rhône, Provence-Alpes-Côte d'Azur
  5: ['75', '84'], // inconsistent on purpose: tells "both must hold" from "either"
};

/** A three-level hierarchy: DIABETES ⊃ T2D ⊃ T2D_COMPLICATED; ASTHMA apart. */
export const DIABETES = 201820;
export const T2D = 201826;
export const T2D_COMPLICATED = 443238;
export const ASTHMA = 317009;
/** A concept with no `concept_ancestor` row at all (not even the reflexive one). */
export const ORPHAN = 999001;

/** One test person. */
export interface FixturePerson {
  readonly id: bigint;
  readonly gender: number;
  readonly year: number;
  readonly month: number | null;
  readonly location: number | null;
  /** [concept id, start date]. */
  readonly conditions?: readonly (readonly [number, string])[];
}

/** Locations and the concept hierarchy (reflexive rows for DIABETES only, on purpose). */
export async function seedReference(warehouse: WarehouseEngine): Promise<void> {
  await warehouse.appendRows(
    'location',
    ['location_id', 'county', 'state'],
    Object.entries(LOCATIONS).map(([id, [county, state]]) => [Number(id), county, state]),
  );
  await warehouse.appendRows(
    'concept_ancestor',
    [
      'ancestor_concept_id',
      'descendant_concept_id',
      'min_levels_of_separation',
      'max_levels_of_separation',
    ],
    [
      [DIABETES, DIABETES, 0, 0],
      [DIABETES, T2D, 1, 1],
      [DIABETES, T2D_COMPLICATED, 2, 2],
      [T2D, T2D_COMPLICATED, 1, 1],
    ],
  );
}

let nextConditionId = 1;

/** Inserts persons and their conditions. */
export async function insertPersons(
  warehouse: WarehouseEngine,
  persons: readonly FixturePerson[],
): Promise<void> {
  await warehouse.appendRows(
    'person',
    [
      'person_id',
      'gender_concept_id',
      'year_of_birth',
      'month_of_birth',
      'race_concept_id',
      'ethnicity_concept_id',
      'location_id',
    ],
    persons.map((p) => [p.id, p.gender, p.year, p.month, 0, 0, p.location]),
  );
  const conditions = persons.flatMap((p) =>
    (p.conditions ?? []).map(([concept, date]) => [nextConditionId++, p.id, concept, date, 32817]),
  );
  if (conditions.length > 0) {
    await warehouse.appendRows(
      'condition_occurrence',
      [
        'condition_occurrence_id',
        'person_id',
        'condition_concept_id',
        'condition_start_date',
        'condition_type_concept_id',
      ],
      conditions,
    );
  }
}

/** A permit period. */
export const PERIOD = { from: '2020-01-01', to: '2022-12-31' } as const;
