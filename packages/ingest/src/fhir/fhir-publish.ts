/**
 * Publishes staged FHIR resources to the OMOP tables (docs/data-model.md, "FHIR resources"), in
 * SQL, inside the batch's transaction: persons (linked by NIR to the same person from other
 * sources, or pseudonymised in the source's namespace), deaths, encounters as visits, conditions
 * (and encounter reasons not already stated as conditions), dispensings, prescriptions and
 * immunisations as drug exposures, procedures, and observations as measurements.
 *
 * A resource whose subject is not a Patient of the batch, or whose encounter is not in it, is
 * quarantined rather than published half-linked. Codes of vocabularies Hygie has (CIM-10 and
 * ICD-10, CCAM, CIP13, ATC, LOINC) map to concepts; others (SNOMED CT, RxNorm, CVX…) keep their
 * code in `*_source_value` with concept 0.
 */
import { CodeSystems } from '@hygie/core';
import type { WarehouseSession } from '@hygie/warehouse';
import { Concepts, lookupTable } from '../concept-lookup.js';
import { communeLocationIdSql } from '../locations.js';
import { derivedIdSql } from '../row-ids.js';
import { isIcd10Family } from './fhir-codings.js';

/** The vocabulary Hygie maps a FHIR code system to, or null. */
export function vocabularyOfSystem(system: string | null): string | null {
  if (system === null) return null;
  if (isIcd10Family(system)) return 'CIM10';
  switch (system) {
    case CodeSystems.ccam:
      return 'CCAM';
    case CodeSystems.cip13:
      return 'CIP13';
    case CodeSystems.atc:
      return 'ATC';
    case CodeSystems.loinc:
      return 'LOINC';
    default:
      return null;
  }
}

/** Short name of a code system for `*_source_value` (`SNOMED:44054006`). */
export function systemLabel(system: string | null): string {
  if (system === null) return '?';
  const known: Record<string, string> = {
    [CodeSystems.snomed]: 'SNOMED',
    [CodeSystems.rxnorm]: 'RXNORM',
    'http://hl7.org/fhir/sid/cvx': 'CVX',
  };
  return (
    known[system] ??
    system
      .replace(/^https?:\/\//, '')
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .slice(0, 40)
  );
}

/** Builds `fhir_system(system, vocabulary, label)` for the code systems present in staging. */
async function systemTable(s: WarehouseSession): Promise<void> {
  const rows = await s.query<{ system: string | null }>(
    `SELECT DISTINCT system FROM (
       SELECT code_system AS system FROM stg_fhir_condition UNION SELECT code_system FROM stg_fhir_encounter_reason
       UNION SELECT code_system FROM stg_fhir_medication UNION SELECT alt_system FROM stg_fhir_medication
       UNION SELECT code_system FROM stg_fhir_procedure UNION SELECT code_system FROM stg_fhir_observation)
     WHERE system IS NOT NULL`,
  );
  await s.execute(
    'CREATE OR REPLACE TEMP TABLE fhir_system (system VARCHAR, vocabulary VARCHAR, label VARCHAR)',
  );
  await s.appendRows(
    'fhir_system',
    ['system', 'vocabulary', 'label'],
    rows.map((r) => [r.system, vocabularyOfSystem(r.system), systemLabel(r.system)]),
  );
}

/** SQL: concept id of (system, code) columns, through the vocabulary lookups; 0 when unknown. */
function conceptSql(system: string, code: string): string {
  const vocabularies = ['CIM10', 'CCAM', 'CIP13', 'ATC', 'LOINC'] as const;
  const branches = vocabularies
    .map(
      (v) => `WHEN '${v}' THEN (SELECT concept_id FROM ${lookupTable(v)} l WHERE l.code = ${code})`,
    )
    .join(' ');
  return `coalesce(CASE (SELECT vocabulary FROM fhir_system fs WHERE fs.system = ${system}) ${branches} END, 0)`;
}

/** SQL: source value `code` for Hygie's vocabularies, `LABEL:code` otherwise. */
function sourceValueSql(system: string, code: string): string {
  return `CASE WHEN (SELECT vocabulary FROM fhir_system fs WHERE fs.system = ${system}) IS NOT NULL THEN ${code}
    ELSE coalesce((SELECT label FROM fhir_system fs WHERE fs.system = ${system}), '?') || ':' || ${code} END`;
}

async function tag(
  s: WarehouseSession,
  table: string,
  where: string,
  field: string,
  rule: string,
): Promise<number> {
  return s.execute(
    `UPDATE ${table} SET _field = $1, _rule = $2 WHERE _rule IS NULL AND (${where})`,
    [field, rule],
  );
}

/**
 * Resolves patients to persons (`patient_link`) and marks resources that cannot be linked: no
 * Patient of the batch behind their subject.
 */
async function linkPatients(s: WarehouseSession, namespace: string): Promise<void> {
  await s.execute(
    // The first occurrence of each id (by file, then line) wins: an aggregate over a narrow
    // projection, which the engine can spill, rather than DISTINCT ON, which sorts in memory.
    `CREATE OR REPLACE TEMP TABLE patient_link AS
     WITH linked AS (
       SELECT p.rowid AS r, p.*, m.person_id, m.fingerprint, m.kind
       FROM stg_fhir_patient p JOIN person_map m ON m.raw = CASE WHEN p.ident_kind = 'local' THEN p.fhir_id ELSE p.ident_value END
         AND m.namespace IS NOT DISTINCT FROM CASE WHEN p.ident_kind = 'local' THEN $1 END
       WHERE p._rule IS NULL AND m.person_id IS NOT NULL)
     SELECT fhir_id, person_id, fingerprint, kind, gender, birth_year, birth_month, insee_commune, death_date, _file, _line
     FROM linked WHERE r IN (SELECT arg_min(r, (_file, _line)) FROM linked GROUP BY fhir_id)`,
    [namespace],
  );
  await tag(
    s,
    'stg_fhir_patient',
    'fhir_id NOT IN (SELECT fhir_id FROM patient_link)',
    'identifier',
    'not a valid NIR or source pseudonym',
  );
  for (const table of [
    'stg_fhir_encounter',
    'stg_fhir_condition',
    'stg_fhir_medication',
    'stg_fhir_procedure',
    'stg_fhir_observation',
  ]) {
    await tag(
      s,
      table,
      'patient_ref IS NULL OR patient_ref NOT IN (SELECT fhir_id FROM patient_link)',
      'subject',
      'patient not in this batch',
    );
  }
}

/** Options of `publishFhir`. */
export interface FhirPublishOptions {
  /**
   * Valid Encounters per partition of the encounter joins (see `linkEncounters`). Default
   * 250,000; tests lower it to exercise several partitions on a small batch.
   */
  readonly encountersPerPartition?: number;
}

/** Default of `FhirPublishOptions.encountersPerPartition`. */
export const ENCOUNTERS_PER_PARTITION = 250_000;

/**
 * The partitions of the encounter joins. An Encounter goes to partition `hash(id) % parts`, a
 * resource to the partition of the encounter it references, so a reference and its target always
 * meet in the same partition; a resource without an encounter reference lands in one partition
 * too (`hash(NULL)` is a constant) and simply finds no encounter there, as before. With one
 * partition the predicates are empty.
 */
class EncounterPartitions {
  constructor(readonly parts: number) {}

  /** The partitions, in order. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (let p = 0; p < this.parts; p++) yield p;
  }

  /** SQL: `ref` (an encounter id or reference column) falls in partition `p` (with AND). */
  where(ref: string, p: number): string {
    return this.parts === 1 ? '' : `AND hash(${ref}) % ${this.parts} = ${p}`;
  }

  /** SQL: the rows of `enc_link` in partition `p`, for a FROM clause. */
  encounters(p: number): string {
    return this.parts === 1 ? 'enc_link' : `(SELECT * FROM enc_link WHERE _part = ${p})`;
  }
}

async function count(s: WarehouseSession, sql: string): Promise<number> {
  const [r] = await s.query<{ n: number | bigint }>(sql);
  return Number(r?.n ?? 0);
}

/**
 * Resolves encounters to visits (`enc_link`: one row per encounter id, the first valid one by
 * file and line, with its visit key) and marks resources whose encounter is not in the batch.
 *
 * This is the step that did not scale: a `DISTINCT ON … ORDER BY` over every staged encounter
 * (which DuckDB evaluates with ordered aggregates held in memory) and hash joins on text ids
 * against all encounters at once ran out of memory on exports of a few hundred thousand persons.
 * Here the deduplication is an `arg_min` over a narrow projection, and every join on an encounter
 * id is cut into partitions of the id's hash, each small enough to be joined in memory: memory
 * stays bounded whatever the size of the export.
 */
async function linkEncounters(
  s: WarehouseSession,
  batch: number,
  perPartition: number,
): Promise<EncounterPartitions> {
  const valid = await count(
    s,
    'SELECT count(*) AS n FROM stg_fhir_encounter WHERE _rule IS NULL AND start_date IS NOT NULL',
  );
  const parts = new EncounterPartitions(Math.max(1, Math.ceil(valid / Math.max(1, perPartition))));
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE enc_link (fhir_id VARCHAR, person_id BIGINT, start_date DATE, end_date DATE,
       class_code VARCHAR, type_code VARCHAR, discharge VARCHAR, visit_id BIGINT, _part INTEGER)`,
  );
  // Files in label order, so that (file, line) folds into one integer that sorts the same way.
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE fhir_file_order AS
     SELECT _file, (row_number() OVER (ORDER BY _file))::BIGINT << 40 AS base
     FROM (SELECT DISTINCT _file FROM stg_fhir_encounter)`,
  );
  for (const p of parts) {
    // The first valid occurrence of each id (by file, then line) wins; `rowid` identifies it
    // without carrying the wide rows through the aggregate, whose state is two integers per id.
    // Id-less encounters form one group, as they did under DISTINCT ON.
    await s.execute(
      `INSERT INTO enc_link
       SELECT e.fhir_id, l.person_id, e.start_date, e.end_date, e.class_code, e.type_code, e.discharge,
         ${derivedIdSql(batch, 10, "nextval('fhir_seq')")}, ${p}
       FROM stg_fhir_encounter e JOIN patient_link l ON l.fhir_id = e.patient_ref
       WHERE e.rowid IN (
         SELECT arg_min(x.rowid, f.base + x._line) FROM stg_fhir_encounter x
         JOIN fhir_file_order f ON f._file = x._file JOIN patient_link xl ON xl.fhir_id = x.patient_ref
         WHERE x._rule IS NULL AND x.start_date IS NOT NULL ${parts.where('x.fhir_id', p)}
         GROUP BY x.fhir_id)
       ${parts.where('e.fhir_id', p)}`,
    );
  }
  await tag(s, 'stg_fhir_encounter', 'start_date IS NULL', 'period', 'no start date');
  for (const table of [
    'stg_fhir_condition',
    'stg_fhir_medication',
    'stg_fhir_procedure',
    'stg_fhir_observation',
  ]) {
    for (const p of parts) {
      // An encounter without an id can never be the target of a reference: leaving it out of
      // the list keeps NOT IN from turning NULL (which would quarantine nothing at all).
      await tag(
        s,
        table,
        `encounter_ref IS NOT NULL ${parts.where('encounter_ref', p)} AND encounter_ref NOT IN (
           SELECT fhir_id FROM ${parts.encounters(p)} WHERE fhir_id IS NOT NULL)`,
        'encounter',
        'encounter not in this batch',
      );
    }
  }
  return parts;
}

/** Publishes staged FHIR; returns CDM rows written per table. */
export async function publishFhir(
  s: WarehouseSession,
  batchId: string,
  batch: number,
  namespace: string,
  timings: Record<string, number> = {},
  options: FhirPublishOptions = {},
): Promise<Record<string, number>> {
  const t0 = performance.now();
  const out: Record<string, number> = {};
  await systemTable(s);
  await linkPatients(s, namespace);
  await s.execute('CREATE OR REPLACE TEMP SEQUENCE fhir_seq');
  const id = (set: number): string => derivedIdSql(batch, set, "nextval('fhir_seq')");
  const parts = await linkEncounters(
    s,
    batch,
    options.encountersPerPartition ?? ENCOUNTERS_PER_PARTITION,
  );
  /** Runs `sql(p)` for every partition; returns the rows written. */
  const byPartition = async (sql: (p: number) => string): Promise<number> => {
    let n = 0;
    for (const p of parts) n += await s.execute(sql(p));
    return n;
  };

  out.person = await s.execute(
    `INSERT INTO person (person_id, gender_concept_id, year_of_birth, month_of_birth, race_concept_id, ethnicity_concept_id,
       location_id, person_source_value, gender_source_value)
     SELECT DISTINCT ON (l.person_id) l.person_id,
       CASE l.gender WHEN 'male' THEN ${Concepts.male} WHEN 'female' THEN ${Concepts.female} ELSE 0 END,
       coalesce(l.birth_year, 0), l.birth_month, 0, 0,
       (SELECT loc.location_id FROM location loc WHERE loc.location_id = ${communeLocationIdSql('l.insee_commune')}),
       l.kind, l.gender
     FROM patient_link l WHERE l.person_id NOT IN (SELECT person_id FROM person)`,
  );
  await s.execute(
    `INSERT INTO hygie_person_identity (person_id, fingerprint, kind, batch_id)
     SELECT DISTINCT l.person_id, l.fingerprint, l.kind, $1 FROM patient_link l
     WHERE l.person_id NOT IN (SELECT person_id FROM hygie_person_identity)`,
    [batchId],
  );
  out.death = await s.execute(
    `INSERT INTO death (person_id, death_date, death_type_concept_id)
     SELECT DISTINCT ON (person_id) person_id, death_date, ${Concepts.ehr} FROM patient_link
     WHERE death_date IS NOT NULL AND person_id NOT IN (SELECT person_id FROM death)`,
  );

  // Encounters become visits (their keys were drawn in linkEncounters); those keys resolve the
  // references of the other resources.
  out.visit_occurrence = await s.execute(
    `INSERT INTO visit_occurrence (visit_occurrence_id, person_id, visit_concept_id, visit_start_date, visit_end_date,
       visit_type_concept_id, visit_source_value, discharged_to_concept_id, discharged_to_source_value)
     SELECT visit_id, person_id,
       CASE WHEN class_code IN ('IMP', 'SS', 'ACUTE', 'NONAC', 'inpatient') THEN ${Concepts.inpatientVisit}
            WHEN class_code IN ('EMER', 'emergency') THEN ${Concepts.emergencyVisit} ELSE ${Concepts.outpatientVisit} END,
       start_date, greatest(start_date, coalesce(end_date, start_date)), ${Concepts.ehr},
       coalesce(type_code, class_code), 0, discharge
     FROM enc_link`,
  );

  // Undated resources take their encounter's start date. Every still-valid resource with an
  // encounter reference now has its encounter in enc_link (linkEncounters quarantined the
  // others), so "no date" means no date and no encounter reference.
  // Conditions: Condition resources, then encounter reasons no Condition of the encounter states.
  await tag(
    s,
    'stg_fhir_condition',
    'onset_date IS NULL AND encounter_ref IS NULL',
    'onsetDateTime',
    'no date',
  );
  // The rank of a condition among its encounter's diagnoses, as an aggregate the engine can spill.
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE condition_rank AS
     SELECT condition_ref, min(rank) AS rank FROM stg_fhir_encounter_diagnosis
     WHERE _rule IS NULL AND condition_ref IS NOT NULL GROUP BY condition_ref`,
  );
  let conditions = await byPartition(
    (p) =>
      `INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_concept_id, condition_start_date,
         condition_end_date, condition_type_concept_id, condition_status_concept_id, visit_occurrence_id, condition_source_value,
         condition_source_concept_id)
       SELECT ${id(11)}, l.person_id, ${conceptSql('c.code_system', 'c.code')}, coalesce(c.onset_date, e.start_date),
         c.end_date, ${Concepts.ehr},
         CASE WHEN r.rank = 1 THEN ${Concepts.primaryDiagnosis} WHEN r.rank > 1 THEN ${Concepts.secondaryDiagnosis} END,
         e.visit_id, ${sourceValueSql('c.code_system', 'c.code')}, ${conceptSql('c.code_system', 'c.code')}
       FROM (SELECT * FROM stg_fhir_condition WHERE _rule IS NULL ${parts.where('encounter_ref', p)}) c
       JOIN patient_link l ON l.fhir_id = c.patient_ref LEFT JOIN ${parts.encounters(p)} e ON e.fhir_id = c.encounter_ref
       LEFT JOIN condition_rank r ON r.condition_ref = c.fhir_id`,
  );
  conditions += await byPartition(
    (p) =>
      `INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_concept_id, condition_start_date,
         condition_type_concept_id, visit_occurrence_id, condition_source_value, condition_source_concept_id)
       SELECT ${id(12)}, e.person_id, ${conceptSql('r.code_system', 'r.code')}, coalesce(r.start_date, e.start_date), ${Concepts.ehr},
         e.visit_id, ${sourceValueSql('r.code_system', 'r.code')}, ${conceptSql('r.code_system', 'r.code')}
       FROM (SELECT * FROM stg_fhir_encounter_reason WHERE _rule IS NULL AND code IS NOT NULL ${parts.where('encounter_id', p)}) r
       JOIN ${parts.encounters(p)} e ON e.fhir_id = r.encounter_id
       WHERE NOT EXISTS (
         SELECT 1 FROM stg_fhir_condition c WHERE c.encounter_ref = r.encounter_id AND c.code = r.code AND c._rule IS NULL
           ${parts.where('c.encounter_ref', p)})`,
  );
  out.condition_occurrence = conditions;

  await tag(s, 'stg_fhir_medication', 'start_date IS NULL', 'whenHandedOver', 'no date');
  out.drug_exposure = await byPartition(
    (p) =>
      `INSERT INTO drug_exposure (drug_exposure_id, person_id, drug_concept_id, drug_exposure_start_date, drug_exposure_end_date,
         drug_type_concept_id, quantity, days_supply, visit_occurrence_id, drug_source_value, drug_source_concept_id)
       SELECT ${id(13)}, l.person_id, coalesce(nullif(${conceptSql('m.code_system', 'm.code')}, 0), ${conceptSql('m.alt_system', 'm.alt_code')}),
         m.start_date, coalesce(m.end_date, m.start_date + greatest(coalesce(m.days_supply, 1), 1)::INTEGER - 1), ${Concepts.ehr},
         m.quantity, m.days_supply, e.visit_id, ${sourceValueSql('m.code_system', 'm.code')}, ${conceptSql('m.code_system', 'm.code')}
       FROM (SELECT * FROM stg_fhir_medication WHERE _rule IS NULL ${parts.where('encounter_ref', p)}) m
       JOIN patient_link l ON l.fhir_id = m.patient_ref LEFT JOIN ${parts.encounters(p)} e ON e.fhir_id = m.encounter_ref`,
  );

  await tag(
    s,
    'stg_fhir_procedure',
    'date IS NULL AND encounter_ref IS NULL',
    'performedDateTime',
    'no date',
  );
  out.procedure_occurrence = await byPartition(
    (p) =>
      `INSERT INTO procedure_occurrence (procedure_occurrence_id, person_id, procedure_concept_id, procedure_date,
         procedure_type_concept_id, visit_occurrence_id, procedure_source_value, procedure_source_concept_id)
       SELECT ${id(14)}, l.person_id, ${conceptSql('p.code_system', 'p.code')}, coalesce(p.date, e.start_date), ${Concepts.ehr},
         e.visit_id, ${sourceValueSql('p.code_system', 'p.code')}, ${conceptSql('p.code_system', 'p.code')}
       FROM (SELECT * FROM stg_fhir_procedure WHERE _rule IS NULL ${parts.where('encounter_ref', p)}) p
       JOIN patient_link l ON l.fhir_id = p.patient_ref LEFT JOIN ${parts.encounters(p)} e ON e.fhir_id = p.encounter_ref`,
  );

  await tag(
    s,
    'stg_fhir_observation',
    'date IS NULL AND encounter_ref IS NULL',
    'effectiveDateTime',
    'no date',
  );
  out.measurement = await byPartition(
    (p) =>
      `INSERT INTO measurement (measurement_id, person_id, measurement_concept_id, measurement_date, measurement_type_concept_id,
         value_as_number, value_as_concept_id, unit_concept_id, visit_occurrence_id, measurement_source_value,
         measurement_source_concept_id, unit_source_value, value_source_value)
       SELECT ${id(15)}, l.person_id, ${conceptSql('o.code_system', 'o.code')}, coalesce(o.date, e.start_date), ${Concepts.ehr},
         o.value_number, 0, 0, e.visit_id, ${sourceValueSql('o.code_system', 'o.code')}, ${conceptSql('o.code_system', 'o.code')},
         o.unit, CASE WHEN o.value_code IS NOT NULL THEN ${sourceValueSql('o.value_system', 'o.value_code')} END
       FROM (SELECT * FROM stg_fhir_observation WHERE _rule IS NULL ${parts.where('encounter_ref', p)}) o
       JOIN patient_link l ON l.fhir_id = o.patient_ref LEFT JOIN ${parts.encounters(p)} e ON e.fhir_id = o.encounter_ref`,
  );

  // Observation periods: from the first to the last dated event of each person in the batch.
  out.observation_period = await s.execute(
    `INSERT INTO observation_period (observation_period_id, person_id, observation_period_start_date,
       observation_period_end_date, period_type_concept_id)
     SELECT ${id(16)}, person_id, min(d), max(d), ${Concepts.ehr} FROM (
       SELECT person_id, visit_start_date AS d FROM visit_occurrence WHERE visit_occurrence_id >= $1 AND visit_occurrence_id < $2
       UNION ALL SELECT person_id, visit_end_date FROM visit_occurrence WHERE visit_occurrence_id >= $1 AND visit_occurrence_id < $2
       UNION ALL SELECT person_id, drug_exposure_start_date FROM drug_exposure WHERE drug_exposure_id >= $1 AND drug_exposure_id < $2
       UNION ALL SELECT person_id, measurement_date FROM measurement WHERE measurement_id >= $1 AND measurement_id < $2
       UNION ALL SELECT person_id, condition_start_date FROM condition_occurrence WHERE condition_occurrence_id >= $1 AND condition_occurrence_id < $2)
     GROUP BY person_id`,
    [BigInt(batch) << 43n, (BigInt(batch) + 1n) << 43n],
  );
  timings['publish fhir'] = Math.round(performance.now() - t0);
  return out;
}
