/**
 * Encounter → `stg_fhir_encounter`, plus one `stg_fhir_encounter_reason` row per coded
 * `reasonCode` and one `stg_fhir_encounter_diagnosis` row per `diagnosis`.
 */
import { firstPreferredCoding, preferredCoding } from './fhir-codings.js';
import { arrayAt, asArray, asObject, objectAt, stringAt, type JsonObject } from './fhir-json.js';
import type { ResourceMapping } from './fhir-mapping.js';
import { parseReference } from './fhir-references.js';

/**
 * `Encounter.class`: a Coding in R4; R5 made it a list of CodeableConcepts, which some tools
 * already write.
 */
function classCode(e: JsonObject): string | null {
  const cls = e['class'];
  const coding = asObject(cls);
  if (coding !== undefined && !('coding' in coding)) return stringAt(coding, 'code') ?? null;
  return firstPreferredCoding(asArray(cls))?.code ?? null;
}

/**
 * The establishment that provided the encounter: its identifier value (the synthetic generator
 * writes establishment numbers), else the id of the Organization referenced, else the value of a
 * conditional reference (`Organization?identifier=system|value`, as Synthea writes).
 */
function serviceProvider(e: JsonObject): string | null {
  const sp = objectAt(e, 'serviceProvider');
  if (sp === undefined) return null;
  const value = stringAt(objectAt(sp, 'identifier'), 'value');
  if (value !== undefined) return value;
  const ref = stringAt(sp, 'reference');
  if (ref === undefined) return null;
  const conditional = /^Organization\?identifier=(?:[^|]*\|)?(.+)$/.exec(ref);
  if (conditional) return conditional[1] as string;
  return parseReference(ref)?.id ?? null;
}

/** Maps an Encounter; `id` is its effective id. */
export function mapEncounter(e: JsonObject, id: string | undefined, m: ResourceMapping): void {
  const patient = m.subject(e['subject']);
  const period = objectAt(e, 'period');
  const start = m.requiredDate([['period.start', period?.['start']]]);
  const end = m.date(period?.['end'], 'period.end');
  const type = firstPreferredCoding(arrayAt(e, 'type'));
  const discharge = preferredCoding(
    objectAt(objectAt(e, 'hospitalization'), 'dischargeDisposition'),
  );

  m.add('stg_fhir_encounter', {
    fhir_id: id ?? null,
    patient_ref: patient,
    class_code: classCode(e),
    type_system: type?.system ?? null,
    type_code: type?.code ?? null,
    start_date: start,
    end_date: end,
    discharge: discharge?.code ?? null,
    service_provider: serviceProvider(e),
  });

  // A reason with only free text yields no row: the text is never staged.
  for (const reason of arrayAt(e, 'reasonCode')) {
    const coding = preferredCoding(asObject(reason));
    if (coding === undefined) continue;
    m.add('stg_fhir_encounter_reason', {
      encounter_id: id ?? null,
      patient_ref: patient,
      code_system: coding.system,
      code: coding.code,
      start_date: start,
    });
  }

  for (const element of arrayAt(e, 'diagnosis')) {
    const diagnosis = asObject(element);
    const condition = m.reference(
      diagnosis?.['condition'],
      'diagnosis.condition',
      'Condition',
      true,
    );
    const rank = diagnosis?.['rank'];
    if (rank !== undefined && !(Number.isInteger(rank) && (rank as number) > 0)) {
      m.fail('diagnosis.rank', 'invalid number');
    }
    m.add('stg_fhir_encounter_diagnosis', {
      encounter_id: id ?? null,
      condition_ref: condition,
      rank: Number.isInteger(rank) ? (rank as number) : null,
      use_code: preferredCoding(objectAt(diagnosis, 'use'))?.code ?? null,
    });
  }
}
