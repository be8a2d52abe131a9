/**
 * Drug and vaccine exposures → `stg_fhir_medication`: MedicationDispense (date handed over,
 * quantity, days supply), MedicationRequest (date authored, quantity and expected supply duration
 * of the dispense request) and Immunization (vaccine code, occurrence date). `Medication`
 * resources themselves go to `stg_fhir_medication_code`, so that references to them resolve.
 *
 * The drug code comes from `medicationCodeableConcept`, or from the Medication a
 * `medicationReference` points to: contained (`#id`), in the same Bundle, or — for NDJSON, where
 * Medication usually sits in a file of its own — in any file of the run, resolved by `stageFhir`
 * once every file is read. Until then such a row carries the rule
 * `unresolved medication reference` and the referenced id in `medication_ref`.
 */
import { codingPair, type StagedCode } from './fhir-codings.js';
import {
  arrayAt,
  asObject,
  objectAt,
  resourceTypeOf,
  stringAt,
  type JsonObject,
} from './fhir-json.js';
import type { ResourceMapping } from './fhir-mapping.js';
import { parseReference } from './fhir-references.js';

/** The rule of a drug reference that is left for `stageFhir` to resolve across files. */
export const UNRESOLVED_MEDICATION_RULE = 'unresolved medication reference';

interface DrugCodes {
  main: StagedCode | undefined;
  alt: StagedCode | undefined;
  /** Id of a Medication to resolve later, across files. */
  ref: string | null;
}

const NO_CODES: DrugCodes = { main: undefined, alt: undefined, ref: null };

/** Days in one unit of a FHIR Duration (UCUM codes and the usual spelled-out units). */
const DAYS_PER_UNIT: Readonly<Record<string, number>> = {
  h: 1 / 24,
  hour: 1 / 24,
  hours: 1 / 24,
  d: 1,
  day: 1,
  days: 1,
  wk: 7,
  week: 7,
  weeks: 7,
  mo: 30,
  month: 30,
  months: 30,
  a: 365,
  year: 365,
  years: 365,
};

function containedMedication(r: JsonObject, localId: string): JsonObject | undefined {
  for (const element of arrayAt(r, 'contained')) {
    const contained = asObject(element);
    if (contained === undefined || resourceTypeOf(contained) !== 'Medication') continue;
    if (stringAt(contained, 'id') === localId) return contained;
  }
  return undefined;
}

/**
 * The drug codes of a MedicationDispense/MedicationRequest. Call it last in a mapper: an
 * unresolved reference must be the resource's only problem for the cross-file resolution to
 * make the resource good.
 */
function drugCodes(r: JsonObject, m: ResourceMapping): DrugCodes {
  const concept = objectAt(r, 'medicationCodeableConcept');
  if (concept !== undefined) {
    const pair = codingPair(concept);
    if (pair.main === undefined) m.fail('medicationCodeableConcept', 'missing code');
    return { ...pair, ref: null };
  }
  const reference = objectAt(r, 'medicationReference');
  if (reference === undefined) {
    m.fail('medication', 'missing code');
    return NO_CODES;
  }
  const ref = stringAt(reference, 'reference');
  if (ref === undefined) {
    m.fail('medicationReference', 'unsupported reference');
    return NO_CODES;
  }
  if (ref.startsWith('#')) {
    const pair = codingPair(objectAt(containedMedication(r, ref.slice(1)), 'code'));
    if (pair.main === undefined) m.fail('medicationReference', UNRESOLVED_MEDICATION_RULE);
    return { ...pair, ref: null };
  }
  const inBundle = m.context.medication?.(ref);
  if (inBundle !== undefined) return { main: inBundle.main, alt: inBundle.alt, ref: null };
  const parsed = parseReference(ref);
  if (parsed === undefined) {
    m.fail('medicationReference', 'unsupported reference');
    return NO_CODES;
  }
  if (parsed.type !== undefined && parsed.type !== 'Medication') {
    m.fail('medicationReference', 'reference to another resource type');
    return NO_CODES;
  }
  m.fail('medicationReference', UNRESOLVED_MEDICATION_RULE);
  return { main: undefined, alt: undefined, ref: parsed.id };
}

/** An optional encounter link that may also name another type (`MedicationDispense.context`). */
function encounterIfAny(element: unknown, m: ResourceMapping): string | null {
  const ref = stringAt(asObject(element), 'reference');
  if (ref === undefined) return null;
  const target = m.context.targets?.byFullUrl(ref);
  if (target !== undefined) return target.type === 'Encounter' ? target.id : null;
  const parsed = parseReference(ref);
  return parsed !== undefined && (parsed.type ?? 'Encounter') === 'Encounter' ? parsed.id : null;
}

function wholeDays(value: number | null, field: string, m: ResourceMapping): number | null {
  if (value === null) return null;
  if (value < 0) {
    m.fail(field, 'invalid number');
    return null;
  }
  return Math.round(value);
}

/** Days of a FHIR Duration, or null when its unit is not a time unit we know. */
function durationDays(
  duration: JsonObject | undefined,
  field: string,
  m: ResourceMapping,
): number | null {
  if (duration === undefined) return null;
  const value = m.number(duration['value'], `${field}.value`);
  const unit = stringAt(duration, 'code') ?? stringAt(duration, 'unit');
  const factor = unit === undefined ? undefined : DAYS_PER_UNIT[unit.toLowerCase()];
  if (value === null || factor === undefined) return null;
  return wholeDays(Math.ceil(value * factor), field, m);
}

function addRow(
  m: ResourceMapping,
  id: string | undefined,
  resourceType: string,
  fields: {
    patient: string | null;
    encounter: string | null;
    start: string | null;
    quantity: number | null;
    daysSupply: number | null;
  },
  codes: DrugCodes,
): void {
  m.add('stg_fhir_medication', {
    fhir_id: id ?? null,
    resource_type: resourceType,
    patient_ref: fields.patient,
    encounter_ref: fields.encounter,
    code_system: codes.main?.system ?? null,
    code: codes.main?.code ?? null,
    alt_system: codes.alt?.system ?? null,
    alt_code: codes.alt?.code ?? null,
    start_date: fields.start,
    end_date: null,
    quantity: fields.quantity,
    days_supply: fields.daysSupply,
    medication_ref: codes.ref,
  });
}

/** Maps a MedicationDispense; `id` is its effective id. */
export function mapMedicationDispense(
  r: JsonObject,
  id: string | undefined,
  m: ResourceMapping,
): void {
  const patient = m.subject(r['subject']);
  const encounter = encounterIfAny(r['context'], m);
  const start = m.requiredDate([
    ['whenHandedOver', r['whenHandedOver']],
    ['whenPrepared', r['whenPrepared']],
  ]);
  const quantity = m.number(objectAt(r, 'quantity')?.['value'], 'quantity.value');
  const daysSupply = wholeDays(
    m.number(objectAt(r, 'daysSupply')?.['value'], 'daysSupply.value'),
    'daysSupply.value',
    m,
  );
  const codes = drugCodes(r, m);
  addRow(m, id, 'MedicationDispense', { patient, encounter, start, quantity, daysSupply }, codes);
}

/** Maps a MedicationRequest; `id` is its effective id. */
export function mapMedicationRequest(
  r: JsonObject,
  id: string | undefined,
  m: ResourceMapping,
): void {
  const patient = m.subject(r['subject']);
  const encounter = m.reference(r['encounter'], 'encounter', 'Encounter', false);
  const start = m.requiredDate([['authoredOn', r['authoredOn']]]);
  const dispense = objectAt(r, 'dispenseRequest');
  const quantity = m.number(
    objectAt(dispense, 'quantity')?.['value'],
    'dispenseRequest.quantity.value',
  );
  const daysSupply = durationDays(
    objectAt(dispense, 'expectedSupplyDuration'),
    'dispenseRequest.expectedSupplyDuration',
    m,
  );
  const codes = drugCodes(r, m);
  addRow(m, id, 'MedicationRequest', { patient, encounter, start, quantity, daysSupply }, codes);
}

/** Maps an Immunization; `id` is its effective id. `occurrenceString` is free text: not a date. */
export function mapImmunization(r: JsonObject, id: string | undefined, m: ResourceMapping): void {
  const patient = m.subject(r['patient']);
  const encounter = m.reference(r['encounter'], 'encounter', 'Encounter', false);
  const start = m.requiredDate([['occurrenceDateTime', r['occurrenceDateTime']]]);
  const pair = codingPair(objectAt(r, 'vaccineCode'));
  if (pair.main === undefined) m.fail('vaccineCode', 'missing code');
  addRow(
    m,
    id,
    'Immunization',
    { patient, encounter, start, quantity: null, daysSupply: null },
    { ...pair, ref: null },
  );
}

/** The codes of a Medication resource, or undefined when it has none. */
export function medicationResourceCodes(
  med: JsonObject,
): { main: StagedCode; alt: StagedCode | undefined } | undefined {
  const pair = codingPair(objectAt(med, 'code'));
  return pair.main === undefined ? undefined : { main: pair.main, alt: pair.alt };
}

/** Maps a Medication resource into `stg_fhir_medication_code`; `id` is its effective id. */
export function mapMedication(r: JsonObject, id: string | undefined, m: ResourceMapping): void {
  const codes = medicationResourceCodes(r);
  if (codes === undefined) m.fail('code', 'missing code');
  m.add('stg_fhir_medication_code', {
    fhir_id: id ?? null,
    code_system: codes?.main.system ?? null,
    code: codes?.main.code ?? null,
    alt_system: codes?.alt?.system ?? null,
    alt_code: codes?.alt?.code ?? null,
  });
}
