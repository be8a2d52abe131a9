/**
 * Dispatches a resource to the mapper of its type, after the checks common to all types: a
 * resource whose status says it did not happen (entered in error, cancelled, not done, refuted)
 * must not become an event, yet must not vanish either — it is quarantined with a `status` rule.
 */
import { preferredCoding } from './fhir-codings.js';
import { mapCondition } from './fhir-condition-mapper.js';
import { mapEncounter } from './fhir-encounter-mapper.js';
import { objectAt, stringAt, type JsonObject } from './fhir-json.js';
import { ResourceMapping, type MappingContext } from './fhir-mapping.js';
import {
  mapImmunization,
  mapMedication,
  mapMedicationDispense,
  mapMedicationRequest,
} from './fhir-medication-mapper.js';
import { mapObservation } from './fhir-observation-mapper.js';
import { mapPatient } from './fhir-patient-mapper.js';
import { mapProcedure } from './fhir-procedure-mapper.js';

type Mapper = (resource: JsonObject, id: string | undefined, m: ResourceMapping) => void;

const MAPPERS = {
  Patient: mapPatient,
  Encounter: mapEncounter,
  Condition: mapCondition,
  MedicationDispense: mapMedicationDispense,
  MedicationRequest: mapMedicationRequest,
  Immunization: mapImmunization,
  Medication: mapMedication,
  Procedure: mapProcedure,
  Observation: mapObservation,
} as const satisfies Record<string, Mapper>;

/** Resource types the connector stages (Medication only to resolve drug references). */
export type SupportedResourceType = keyof typeof MAPPERS;

/** Resource types the connector stages, in a stable order. */
export const SUPPORTED_RESOURCE_TYPES = Object.keys(MAPPERS) as SupportedResourceType[];

/** True when the connector stages this resource type. */
export function isSupportedResourceType(type: string): type is SupportedResourceType {
  return Object.hasOwn(MAPPERS, type);
}

/** `status` codes meaning the event did not happen, per type (all: entered-in-error). */
const EXCLUDED_STATUS: Readonly<Record<string, readonly string[]>> = {
  Encounter: ['cancelled'],
  Observation: ['cancelled'],
  Procedure: ['not-done'],
  Immunization: ['not-done'],
  MedicationRequest: ['cancelled'],
  MedicationDispense: ['cancelled', 'declined'],
};

/** The rule text of an excluded status: built from our own list, never from the source value. */
function excludedStatusRule(type: string, r: JsonObject): { field: string; rule: string } | null {
  const status = stringAt(r, 'status');
  if (status === 'entered-in-error') return { field: 'status', rule: 'status entered-in-error' };
  const excluded = EXCLUDED_STATUS[type]?.find((s) => s === status);
  if (excluded !== undefined) return { field: 'status', rule: `status ${excluded}` };
  if (type === 'Condition') {
    const verification = preferredCoding(objectAt(r, 'verificationStatus'))?.code;
    if (verification === 'refuted' || verification === 'entered-in-error') {
      return { field: 'verificationStatus', rule: `verification status ${verification}` };
    }
  }
  return null;
}

/**
 * Maps one resource of a supported type to its staging rows. `id` is its effective id (its `id`,
 * or the id a Bundle entry's `urn:uuid` fullUrl gives it).
 */
export function mapResource(
  type: SupportedResourceType,
  resource: JsonObject,
  id: string | undefined,
  context: MappingContext,
): ResourceMapping {
  const m = new ResourceMapping(context);
  const excluded = excludedStatusRule(type, resource);
  if (excluded !== null) m.fail(excluded.field, excluded.rule);
  MAPPERS[type](resource, id, m);
  return m;
}
