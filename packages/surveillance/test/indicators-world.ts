/**
 * Tiny warehouses for the indicator tests, written person by person (the approach of the
 * analytics conformance worlds): a small CIM-10 hierarchy, five residences, and persons with
 * observation periods, consultations, stays, deaths and opt-outs.
 */
import type { WarehouseEngine } from '@hygie/warehouse';
import { migrate, rebuildConceptAncestor } from '@hygie/warehouse';

/**
 * CIM-10 concepts: J09-J18 ⊃ J11 ⊃ {J110, J111}; J189; A09 ⊃ A099; U071; J21 ⊃ J219; chapter IX
 * (circulatory) ⊃ I21. Drugs: a racecadotril pack (CIP13) under ATC A07XA04, an oseltamivir
 * pack under J05AH02 ⊂ J05AH.
 */
const CONCEPTS: readonly (readonly [number, string, string | null, string?])[] = [
  [10, 'J09-J18', null],
  [11, 'J11', 'J09-J18'],
  [12, 'J110', 'J11'],
  [13, 'J111', 'J11'],
  [14, 'J189', 'J09-J18'],
  [20, 'A09', null],
  [21, 'A099', 'A09'],
  [30, 'U071', null],
  [40, 'J21', null],
  [41, 'J219', 'J21'],
  [49, 'IX', null],
  [50, 'I21', 'IX'],
  [60, 'A07XA04', null, 'ATC'],
  [61, '3400930000011', 'A07XA04', 'CIP13'],
  [62, 'J05AH', null, 'ATC'],
  [63, 'J05AH02', 'J05AH', 'ATC'],
  [64, '3400930000028', 'J05AH02', 'CIP13'],
];

/** Concept ids by code. */
export const C = { J110: 12, J111: 13, J189: 14, A099: 21, U071: 30, J219: 41, I21: 50 } as const;

/** Drug packs (CIP13 concept ids). */
export const D = { racecadotril: 61, oseltamivir: 64 } as const;

/** Residences: location id → département, région. */
export const PLACES = { paris: 1, lyon: 2, marseille: 3, ajaccio: 4, grenoble: 5 } as const;
const LOCATIONS = [
  [1, '75', '11'],
  [2, '69', '84'],
  [3, '13', '93'],
  [4, '2A', '94'],
  [5, '38', '84'],
] as const;

type Row = readonly unknown[];

/** The rows of a world. */
export class World {
  readonly persons: Row[] = [];
  readonly observations: Row[] = [];
  readonly visits: Row[] = [];
  readonly conditions: Row[] = [];
  readonly deaths: Row[] = [];
  readonly dispensings: Row[] = [];
  readonly optOuts: Row[] = [];
  #id = 1;

  nextId(): number {
    return this.#id++;
  }

  /** A person observed over `observed` (default 2019–2024). */
  person(
    id: number,
    sex: 'F' | 'M',
    born: number,
    place: keyof typeof PLACES,
    observed: readonly [string, string] = ['2019-01-01', '2024-12-31'],
  ): PersonBuilder {
    this.persons.push([id, sex === 'F' ? 8532 : 8507, born, 6, 0, 0, PLACES[place]]);
    this.observations.push([this.nextId(), id, observed[0], observed[1], 32810]);
    return new PersonBuilder(this, id);
  }
}

/** Chains a person's data. */
export class PersonBuilder {
  constructor(
    private readonly world: World,
    readonly id: number,
  ) {}

  /** An outpatient consultation with a diagnosis. */
  consultation(concept: number, date: string): this {
    const visit = this.world.nextId();
    this.world.visits.push([visit, this.id, 9202, date, date, 32817]);
    this.world.conditions.push([this.world.nextId(), this.id, concept, date, 32817, null, visit]);
    return this;
  }

  /** An inpatient stay with its principal diagnosis (32902) or a secondary one (32908). */
  stay(concept: number, date: string, principal = true): this {
    const visit = this.world.nextId();
    this.world.visits.push([visit, this.id, 9201, date, date, 32817]);
    const status = principal ? 32902 : 32908;
    this.world.conditions.push([this.world.nextId(), this.id, concept, date, 32817, status, visit]);
    return this;
  }

  /** A pharmacy dispensing of a drug pack. */
  dispensing(drug: number, date: string): this {
    this.world.dispensings.push([this.world.nextId(), this.id, drug, date, date, 32869]);
    return this;
  }

  death(date: string, cause: number | null = null): this {
    this.world.deaths.push([this.id, date, 32817, cause]);
    return this;
  }

  /** An active opt-out, surveillance-exempt or not. */
  optOut(surveillanceExcluded: boolean): this {
    this.world.optOuts.push([this.id, surveillanceExcluded, '2024-01-01T00:00:00Z']);
    return this;
  }
}

/** Migrates `engine` and loads the vocabulary, locations and the world. */
export async function loadWorld(engine: WarehouseEngine, world: World): Promise<void> {
  await migrate(engine);
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
    CONCEPTS.map(([id, code, , vocabulary]) => [
      id,
      code,
      vocabulary === undefined ? 'Condition' : 'Drug',
      vocabulary ?? 'CIM10',
      'Test',
      'S',
      code,
      '1970-01-01',
      '2099-12-31',
    ]),
  );
  const byCode = new Map(CONCEPTS.map(([id, code]) => [code, id]));
  // Codes are unique across this world's vocabularies, so a parent is found by its code alone.
  await engine.appendRows(
    'concept_relationship',
    ['concept_id_1', 'concept_id_2', 'relationship_id', 'valid_start_date', 'valid_end_date'],
    CONCEPTS.filter((c) => c[2] !== null).map(([id, , parent]) => [
      id,
      byCode.get(parent ?? ''),
      'Is a',
      '1970-01-01',
      '2099-12-31',
    ]),
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
    world.observations,
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
    'condition_occurrence',
    [
      'condition_occurrence_id',
      'person_id',
      'condition_concept_id',
      'condition_start_date',
      'condition_type_concept_id',
      'condition_status_concept_id',
      'visit_occurrence_id',
    ],
    world.conditions,
  );
  await load(
    'death',
    ['person_id', 'death_date', 'death_type_concept_id', 'cause_concept_id'],
    world.deaths,
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
    world.dispensings,
  );
  await load('hygie_opt_out', ['person_id', 'surveillance_excluded', 'since'], world.optOuts);
}

/**
 * The influenza world (weeks 2020-W52 = 21–27 Dec, W53 = 28 Dec–3 Jan, 2021-W01 = 4–10 Jan,
 * W02 = 11–17 Jan):
 *
 * 1. F 1980, Paris: J111 on 29 Dec (W53), 5 Jan (7 days later: same episode), 20 Jan
 *    (15 days later: a new episode, after the weekly series).
 * 2. M 1950, Lyon: J110 on 15 Dec (before the series), J111 on 22 Dec (same episode: not
 *    counted), a stay with principal diagnosis J111 on 12 Jan (21 days later: new, W02).
 * 3. F 2019, Grenoble: J111 on Sunday 3 Jan 2021 (2020-W53).
 * 4. M 1990, Marseille, opted out but surveillance-exempt: J111 on Monday 4 Jan (2021-W01).
 * 5. F 1985, Ajaccio, opted out of surveillance too: J111 on 4 Jan (never counted).
 * 6. M 1980, Paris: J111 as a stay's secondary diagnosis on 6 Jan (not counted), J189 (not in
 *    the set) on 6 Jan.
 * 7. F 1980, Paris, observed 1–6 Jan 2021 only.
 * 8. F 1940, Paris: died 5 Jan 2021 (W01) of J111.
 * 9. M 1930, Lyon: died 23 Dec 2020 (W52) of I21, observed until then.
 *
 * Dispensings: 1 is dispensed oseltamivir on 29 Dec with the consultation (the same influenza
 * episode) and racecadotril on 12 Jan (a gastroenteritis episode seen only through the drug,
 * as in an SNDS extract); 6 consults for A099 on 11 Jan and is dispensed racecadotril the same
 * day (one episode, not two).
 */
export function influenzaWorld(): World {
  const w = new World();
  w.person(1, 'F', 1980, 'paris')
    .consultation(C.J111, '2020-12-29')
    .dispensing(D.oseltamivir, '2020-12-29')
    .consultation(C.J111, '2021-01-05')
    .consultation(C.J111, '2021-01-20')
    .dispensing(D.racecadotril, '2021-01-12');
  w.person(2, 'M', 1950, 'lyon')
    .consultation(C.J110, '2020-12-15')
    .consultation(C.J111, '2020-12-22')
    .stay(C.J111, '2021-01-12');
  w.person(3, 'F', 2019, 'grenoble').consultation(C.J111, '2021-01-03');
  w.person(4, 'M', 1990, 'marseille').consultation(C.J111, '2021-01-04').optOut(false);
  w.person(5, 'F', 1985, 'ajaccio').consultation(C.J111, '2021-01-04').optOut(true);
  w.person(6, 'M', 1980, 'paris')
    .stay(C.J111, '2021-01-06', false)
    .consultation(C.J189, '2021-01-06')
    .consultation(C.A099, '2021-01-11')
    .dispensing(D.racecadotril, '2021-01-11');
  w.person(7, 'F', 1980, 'paris', ['2021-01-01', '2021-01-06']);
  w.person(8, 'F', 1940, 'paris').death('2021-01-05', C.J111);
  w.person(9, 'M', 1930, 'lyon', ['2019-01-01', '2020-12-23']).death('2020-12-23', C.I21);
  return w;
}
