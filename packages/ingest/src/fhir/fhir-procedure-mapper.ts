/**
 * Procedure → `stg_fhir_procedure`: the preferred code (CCAM first), dated by
 * `performedDateTime` or `performedPeriod.start`.
 */
import { preferredCoding } from './fhir-codings.js';
import { objectAt, type JsonObject } from './fhir-json.js';
import type { ResourceMapping } from './fhir-mapping.js';

/** Maps a Procedure; `id` is its effective id. */
export function mapProcedure(p: JsonObject, id: string | undefined, m: ResourceMapping): void {
  const patient = m.subject(p['subject']);
  const encounter = m.reference(p['encounter'], 'encounter', 'Encounter', false);
  const code = preferredCoding(objectAt(p, 'code'));
  if (code === undefined) m.fail('code', 'missing code');
  const date = m.requiredDate([
    ['performedDateTime', p['performedDateTime']],
    ['performedPeriod.start', objectAt(p, 'performedPeriod')?.['start']],
  ]);
  m.add('stg_fhir_procedure', {
    fhir_id: id ?? null,
    patient_ref: patient,
    encounter_ref: encounter,
    code_system: code?.system ?? null,
    code: code?.code ?? null,
    date,
  });
}
