/**
 * The tables of a conformance spec, written person by person (ehrQL's spec style): a handful of
 * persons with their observation periods, events, death, residence and opt-out, over a tiny
 * vocabulary with a real hierarchy. `loadWorld` puts them in an engine migrated from scratch,
 * computing `concept_ancestor` from the `Is a` relationships as a warehouse load does.
 */
import type { WarehouseEngine } from '@hygie/warehouse';
import { migrate, rebuildConceptAncestor } from '@hygie/warehouse';

/** A concept of the tiny vocabulary. */
interface VocabularyConcept {
  readonly id: number;
  readonly vocabulary: string;
  readonly code: string;
  readonly domain: string;
  /** Codes of its parents ('Is a'), same vocabulary unless prefixed `VOCAB:`. */
  readonly parents?: readonly string[];
}

/**
 * The vocabulary every spec shares:
 *
 * - CIM10: block `E10-E14` ⊃ {E10 ⊃ E109, E11 ⊃ {E110, E119}}; I10; J45 ⊃ J459.
 * - ATC: A10 ⊃ {A10A ⊃ A10AE ⊃ A10AE04 (glargine), A10B ⊃ A10BA ⊃ A10BA02 (metformin)};
 *   C09 ⊃ C09AA02 (enalapril).
 * - CIP13 products (what drug_exposure holds): METFORMIN_1 and METFORMIN_2 'Is a' A10BA02,
 *   GLARGINE 'Is a' A10AE04, ENALAPRIL 'Is a' C09AA02.
 * - CCAM: system D ⊃ DZQM006 (echocardiography), DEQP003 (ECG).
 * - LOINC: 4548-4 (HbA1c), 2345-7 (glucose), no hierarchy.
 * - Visit: IP (9201), OP (9202); cause of death concepts are CIM10.
 */
const CONCEPTS: readonly VocabularyConcept[] = [
  { id: 100, vocabulary: 'CIM10', code: 'E10-E14', domain: 'Condition' },
  { id: 101, vocabulary: 'CIM10', code: 'E10', domain: 'Condition', parents: ['E10-E14'] },
  { id: 102, vocabulary: 'CIM10', code: 'E109', domain: 'Condition', parents: ['E10'] },
  { id: 103, vocabulary: 'CIM10', code: 'E11', domain: 'Condition', parents: ['E10-E14'] },
  { id: 104, vocabulary: 'CIM10', code: 'E110', domain: 'Condition', parents: ['E11'] },
  { id: 105, vocabulary: 'CIM10', code: 'E119', domain: 'Condition', parents: ['E11'] },
  { id: 106, vocabulary: 'CIM10', code: 'I10', domain: 'Condition' },
  { id: 107, vocabulary: 'CIM10', code: 'J45', domain: 'Condition' },
  { id: 108, vocabulary: 'CIM10', code: 'J459', domain: 'Condition', parents: ['J45'] },
  { id: 200, vocabulary: 'ATC', code: 'A10', domain: 'Drug' },
  { id: 201, vocabulary: 'ATC', code: 'A10A', domain: 'Drug', parents: ['A10'] },
  { id: 202, vocabulary: 'ATC', code: 'A10AE', domain: 'Drug', parents: ['A10A'] },
  { id: 203, vocabulary: 'ATC', code: 'A10AE04', domain: 'Drug', parents: ['A10AE'] },
  { id: 204, vocabulary: 'ATC', code: 'A10B', domain: 'Drug', parents: ['A10'] },
  { id: 205, vocabulary: 'ATC', code: 'A10BA', domain: 'Drug', parents: ['A10B'] },
  { id: 206, vocabulary: 'ATC', code: 'A10BA02', domain: 'Drug', parents: ['A10BA'] },
  { id: 207, vocabulary: 'ATC', code: 'C09', domain: 'Drug' },
  { id: 208, vocabulary: 'ATC', code: 'C09AA02', domain: 'Drug', parents: ['C09'] },
  { id: 301, vocabulary: 'CIP13', code: '3400000000011', domain: 'Drug', parents: ['ATC:A10BA02'] },
  { id: 302, vocabulary: 'CIP13', code: '3400000000028', domain: 'Drug', parents: ['ATC:A10BA02'] },
  { id: 303, vocabulary: 'CIP13', code: '3400000000035', domain: 'Drug', parents: ['ATC:A10AE04'] },
  { id: 304, vocabulary: 'CIP13', code: '3400000000042', domain: 'Drug', parents: ['ATC:C09AA02'] },
  { id: 400, vocabulary: 'CCAM', code: 'D', domain: 'Procedure' },
  { id: 401, vocabulary: 'CCAM', code: 'DZQM006', domain: 'Procedure', parents: ['D'] },
  { id: 402, vocabulary: 'CCAM', code: 'DEQP003', domain: 'Procedure', parents: ['D'] },
  { id: 501, vocabulary: 'LOINC', code: '4548-4', domain: 'Measurement' },
  { id: 502, vocabulary: 'LOINC', code: '2345-7', domain: 'Measurement' },
  { id: 9201, vocabulary: 'Visit', code: 'IP', domain: 'Visit' },
  { id: 9202, vocabulary: 'Visit', code: 'OP', domain: 'Visit' },
];

/** Concept ids by code, for writing events (`C.E119`, `C.METFORMIN_1`). */
export const C = {
  E10_E14: 100,
  E10: 101,
  E109: 102,
  E11: 103,
  E110: 104,
  E119: 105,
  I10: 106,
  J45: 107,
  J459: 108,
  METFORMIN_1: 301,
  METFORMIN_2: 302,
  GLARGINE: 303,
  ENALAPRIL: 304,
  ECHO: 401,
  ECG: 402,
  HBA1C: 501,
  GLUCOSE: 502,
  INPATIENT: 9201,
  OUTPATIENT: 9202,
} as const;

/** Residences: location id → [département, région]. */
export const PLACES = {
  paris: 1, // 75, 11 Île-de-France
  lyon: 2, // 69, 84 Auvergne-Rhône-Alpes
  marseille: 3, // 13, 93 Provence-Alpes-Côte d'Azur
  ajaccio: 4, // 2A, 94 Corse
  grenoble: 5, // 38, 84 Auvergne-Rhône-Alpes
} as const;

const LOCATIONS: readonly (readonly [number, string, string])[] = [
  [1, '75', '11'],
  [2, '69', '84'],
  [3, '13', '93'],
  [4, '2A', '94'],
  [5, '38', '84'],
];

/** A person of a spec. */
export interface PersonSpec {
  /** `F`, `M`, or `U` (gender concept 8551, unknown). */
  readonly sex: 'F' | 'M' | 'U';
  /** `YYYY-MM`, or `YYYY` when the month is unknown. */
  readonly born: string;
  readonly place?: keyof typeof PLACES;
}

type Row = readonly unknown[];

/** The rows of a spec's warehouse, built person by person. */
export class World {
  readonly persons: Row[] = [];
  readonly observationPeriods: Row[] = [];
  readonly conditions: Row[] = [];
  readonly drugs: Row[] = [];
  readonly procedures: Row[] = [];
  readonly visits: Row[] = [];
  readonly measurements: Row[] = [];
  readonly deaths: Row[] = [];
  readonly optOuts: Row[] = [];
  #nextId = 1;

  /** Adds a person; chain their data on the returned builder. */
  person(id: number, spec: PersonSpec): PersonBuilder {
    const [year, month] = spec.born.split('-').map(Number);
    const gender = spec.sex === 'F' ? 8532 : spec.sex === 'M' ? 8507 : 8551;
    this.persons.push([
      id,
      gender,
      year,
      month ?? null,
      0,
      0,
      spec.place ? PLACES[spec.place] : null,
    ]);
    return new PersonBuilder(this, id);
  }

  /** A fresh row key. */
  nextId(): number {
    return this.#nextId++;
  }
}

/** Chains the data of one person. */
export class PersonBuilder {
  constructor(
    private readonly world: World,
    readonly id: number,
  ) {}

  /** An observation period, both ends included. */
  observed(from: string, to: string): this {
    this.world.observationPeriods.push([this.world.nextId(), this.id, from, to, 32810]);
    return this;
  }

  condition(concept: number, date: string): this {
    this.world.conditions.push([this.world.nextId(), this.id, concept, date, 32810]);
    return this;
  }

  drug(concept: number, date: string): this {
    this.world.drugs.push([this.world.nextId(), this.id, concept, date, date, 32810]);
    return this;
  }

  procedure(concept: number, date: string): this {
    this.world.procedures.push([this.world.nextId(), this.id, concept, date, 32810]);
    return this;
  }

  visit(concept: number, date: string): this {
    this.world.visits.push([this.world.nextId(), this.id, concept, date, date, 32810]);
    return this;
  }

  measurement(concept: number, date: string, value: number | null): this {
    this.world.measurements.push([this.world.nextId(), this.id, concept, date, 32817, value]);
    return this;
  }

  death(date: string, cause: number | null = null): this {
    this.world.deaths.push([this.id, date, 32879, cause]);
    return this;
  }

  /** The person has an active opt-out (mirrored in `hygie_opt_out`). */
  optOut(): this {
    this.world.optOuts.push([this.id, true, '2024-01-01T00:00:00Z']);
    return this;
  }
}

/** Creates the schema and loads the vocabulary, the locations and the world. */
export async function loadWorld(engine: WarehouseEngine, world: World): Promise<void> {
  await migrate(engine);
  const byCode = new Map(CONCEPTS.map((c) => [`${c.vocabulary}:${c.code}`, c.id]));
  await engine.appendRows(
    'concept',
    [
      'concept_id',
      'concept_name',
      'domain_id',
      'vocabulary_id',
      'concept_class_id',
      'standard_concept',
      'concept_code',
      'valid_start_date',
      'valid_end_date',
    ],
    CONCEPTS.map((c) => [
      c.id,
      c.code,
      c.domain,
      c.vocabulary,
      'Test',
      'S',
      c.code,
      '1970-01-01',
      '2099-12-31',
    ]),
  );
  const relationships = CONCEPTS.flatMap((c) =>
    (c.parents ?? []).map((p) => {
      const parent = byCode.get(p.includes(':') ? p : `${c.vocabulary}:${p}`);
      if (parent === undefined) throw new Error(`unknown parent ${p}`);
      return [c.id, parent, 'Is a', '1970-01-01', '2099-12-31'];
    }),
  );
  await engine.appendRows(
    'concept_relationship',
    ['concept_id_1', 'concept_id_2', 'relationship_id', 'valid_start_date', 'valid_end_date'],
    relationships,
  );
  await rebuildConceptAncestor(engine);
  await engine.appendRows('location', ['location_id', 'county', 'state'], LOCATIONS);
  const load = async (table: string, columns: string[], rows: Row[]): Promise<void> => {
    if (rows.length > 0) await engine.appendRows(table, columns, rows);
  };
  await load(
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
    world.persons,
  );
  await load(
    'observation_period',
    [
      'observation_period_id',
      'person_id',
      'observation_period_start_date',
      'observation_period_end_date',
      'period_type_concept_id',
    ],
    world.observationPeriods,
  );
  await load(
    'condition_occurrence',
    [
      'condition_occurrence_id',
      'person_id',
      'condition_concept_id',
      'condition_start_date',
      'condition_type_concept_id',
    ],
    world.conditions,
  );
  await load(
    'drug_exposure',
    [
      'drug_exposure_id',
      'person_id',
      'drug_concept_id',
      'drug_exposure_start_date',
      'drug_exposure_end_date',
      'drug_type_concept_id',
    ],
    world.drugs,
  );
  await load(
    'procedure_occurrence',
    [
      'procedure_occurrence_id',
      'person_id',
      'procedure_concept_id',
      'procedure_date',
      'procedure_type_concept_id',
    ],
    world.procedures,
  );
  await load(
    'visit_occurrence',
    [
      'visit_occurrence_id',
      'person_id',
      'visit_concept_id',
      'visit_start_date',
      'visit_end_date',
      'visit_type_concept_id',
    ],
    world.visits,
  );
  await load(
    'measurement',
    [
      'measurement_id',
      'person_id',
      'measurement_concept_id',
      'measurement_date',
      'measurement_type_concept_id',
      'value_as_number',
    ],
    world.measurements,
  );
  await load(
    'death',
    ['person_id', 'death_date', 'death_type_concept_id', 'cause_concept_id'],
    world.deaths,
  );
  await load('hygie_opt_out', ['person_id', 'surveillance_excluded', 'since'], world.optOuts);
}
