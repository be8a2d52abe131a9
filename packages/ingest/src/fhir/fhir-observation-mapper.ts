/**
 * Observation → `stg_fhir_observation`: one row for the observation itself, or, for a panel with
 * `component`s (Synthea's blood pressure: LOINC 85354-9 with 8480-6 and 8462-4), one row per
 * component — plus the panel's own row if it carries a value.
 *
 * Values kept: `valueQuantity` (number and UCUM code, else unit text), `valueCodeableConcept`
 * (preferred coding), `valueInteger`, `valueBoolean` (as value_code `true`/`false`). Free text —
 * `valueString`, `note`, narrative `text` — is dropped: it may carry identifiers.
 */
import { CodeSystems } from '@hygie/core';
import { preferredCoding } from './fhir-codings.js';
import { arrayAt, asObject, objectAt, stringAt, type JsonObject } from './fhir-json.js';
import type { ResourceMapping } from './fhir-mapping.js';

interface ObservedValue {
  value_number: number | null;
  unit: string | null;
  value_system: string | null;
  value_code: string | null;
}

/** Whether an element carries a value we stage (as opposed to none, or free text only). */
function hasStagedValue(o: JsonObject): boolean {
  return (
    o['valueQuantity'] !== undefined ||
    o['valueCodeableConcept'] !== undefined ||
    o['valueInteger'] !== undefined ||
    o['valueBoolean'] !== undefined
  );
}

function observedValue(o: JsonObject, field: string, m: ResourceMapping): ObservedValue {
  const quantity = objectAt(o, 'valueQuantity');
  if (quantity !== undefined) {
    const code = stringAt(quantity, 'code');
    const ucum = stringAt(quantity, 'system') === CodeSystems.ucum;
    return {
      value_number: m.number(quantity['value'], `${field}valueQuantity.value`),
      unit: (ucum ? code : undefined) ?? stringAt(quantity, 'unit') ?? code ?? null,
      value_system: null,
      value_code: null,
    };
  }
  const concept = preferredCoding(objectAt(o, 'valueCodeableConcept'));
  if (concept !== undefined) {
    return {
      value_number: null,
      unit: null,
      value_system: concept.system,
      value_code: concept.code,
    };
  }
  const integer = o['valueInteger'];
  if (integer !== undefined) {
    if (!Number.isInteger(integer)) m.fail(`${field}valueInteger`, 'invalid number');
    return {
      value_number: Number.isInteger(integer) ? (integer as number) : null,
      unit: null,
      value_system: null,
      value_code: null,
    };
  }
  const bool = o['valueBoolean'];
  if (typeof bool === 'boolean') {
    return { value_number: null, unit: null, value_system: null, value_code: String(bool) };
  }
  return { value_number: null, unit: null, value_system: null, value_code: null };
}

/** Maps an Observation; `id` is its effective id. */
export function mapObservation(o: JsonObject, id: string | undefined, m: ResourceMapping): void {
  const patient = m.subject(o['subject']);
  const encounter = m.reference(o['encounter'], 'encounter', 'Encounter', false);
  const code = preferredCoding(objectAt(o, 'code'));
  if (code === undefined) m.fail('code', 'missing code');
  const date = m.requiredDate([
    ['effectiveDateTime', o['effectiveDateTime']],
    ['effectivePeriod.start', objectAt(o, 'effectivePeriod')?.['start']],
    ['effectiveInstant', o['effectiveInstant']],
    ['issued', o['issued']],
  ]);
  const base = {
    fhir_id: id ?? null,
    patient_ref: patient,
    encounter_ref: encounter,
    date,
  };

  const components = arrayAt(o, 'component')
    .map(asObject)
    .filter((c): c is JsonObject => c !== undefined);
  if (components.length === 0 || hasStagedValue(o)) {
    m.add('stg_fhir_observation', {
      ...base,
      code_system: code?.system ?? null,
      code: code?.code ?? null,
      ...observedValue(o, '', m),
    });
  }
  for (const component of components) {
    const componentCode = preferredCoding(objectAt(component, 'code'));
    if (componentCode === undefined) m.fail('component.code', 'missing code');
    m.add('stg_fhir_observation', {
      ...base,
      code_system: componentCode?.system ?? null,
      code: componentCode?.code ?? null,
      ...observedValue(component, 'component.', m),
    });
  }
}
