/**
 * Condition → `stg_fhir_condition`. Onset from `onsetDateTime` or `onsetPeriod.start`, else
 * `recordedDate`; end from `abatementDateTime` or `abatementPeriod.end`. A Condition with no date
 * at all is kept when it names its encounter: the publish step dates it by the encounter's start
 * (the data model's rule for encounter diagnoses).
 */
import { preferredCoding } from './fhir-codings.js';
import { arrayAt, asObject, objectAt, type JsonObject } from './fhir-json.js';
import type { ResourceMapping } from './fhir-mapping.js';

/** Maps a Condition; `id` is its effective id. */
export function mapCondition(c: JsonObject, id: string | undefined, m: ResourceMapping): void {
  const patient = m.subject(c['subject']);
  const encounter = m.reference(c['encounter'], 'encounter', 'Encounter', false);
  const code = preferredCoding(objectAt(c, 'code'));
  if (code === undefined) m.fail('code', 'missing code');

  const candidates: [string, unknown][] = [
    ['onsetDateTime', c['onsetDateTime']],
    ['onsetPeriod.start', objectAt(c, 'onsetPeriod')?.['start']],
    ['recordedDate', c['recordedDate']],
  ];
  const onset =
    encounter !== null && candidates.every(([, v]) => v === undefined || v === null)
      ? null
      : m.requiredDate(candidates);
  const end =
    m.date(c['abatementDateTime'], 'abatementDateTime') ??
    m.date(objectAt(c, 'abatementPeriod')?.['end'], 'abatementPeriod.end');
  const category = arrayAt(c, 'category')
    .map((cc) => preferredCoding(asObject(cc)))
    .find((cc) => cc !== undefined);

  m.add('stg_fhir_condition', {
    fhir_id: id ?? null,
    patient_ref: patient,
    encounter_ref: encounter,
    code_system: code?.system ?? null,
    code: code?.code ?? null,
    onset_date: onset,
    end_date: end,
    category: category?.code ?? null,
  });
}
