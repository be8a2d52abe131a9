/**
 * FHIR references reduced to the id of the referenced resource, which is what the staging tables
 * join on (`patient_ref` = the Patient's `fhir_id`).
 *
 * Forms understood: relative (`Patient/123`), absolute (`https://host/fhir/Patient/123`, with or
 * without `/_history/n`), Bundle-local (`urn:uuid:…`, `urn:oid:…`) and a bare id. Not resolved, by
 * design: contained references (`#x`) and conditional or identifier-only references — a subject
 * given only by its identifier would put a NIR where a resource id is expected.
 */
import { asObject, stringAt } from './fhir-json.js';

/** A resolved reference or why it could not be resolved (a fixed rule text). */
export type ReferenceResult =
  { readonly ok: true; readonly id: string } | { readonly ok: false; readonly rule: ReferenceRule };

/** Why a reference did not resolve. */
export type ReferenceRule =
  'missing reference' | 'unsupported reference' | 'reference to another resource type';

/** What a Bundle knows about its entries, to resolve references by `fullUrl`. */
export interface ReferenceTargets {
  /** The type and effective id of the entry whose `fullUrl` is `url`, if any. */
  byFullUrl(url: string): { type: string; id: string } | undefined;
}

/** Shape of an id we accept from a reference (FHIR ids are [A-Za-z0-9.-]{1,64}; some tools go beyond). */
const ID_RE = /^[A-Za-z0-9\-._]{1,128}$/;
const TYPE_RE = /^[A-Z][A-Za-z]+$/;

/**
 * Parses a reference string into an optional type and an id, without Bundle knowledge.
 * Returns undefined for forms that do not name a resource by id.
 */
export function parseReference(ref: string): { type: string | undefined; id: string } | undefined {
  if (ref.startsWith('#') || ref.includes('?')) return undefined;
  const urn = /^urn:(?:uuid|oid):(.+)$/i.exec(ref);
  if (urn)
    return ID_RE.test(urn[1] as string) ? { type: undefined, id: urn[1] as string } : undefined;
  const parts = ref.split('/').filter((p) => p.length > 0);
  // Drop a version suffix: Type/id/_history/3.
  if (parts.length >= 4 && parts[parts.length - 2] === '_history') parts.length -= 2;
  const id = parts[parts.length - 1];
  if (id === undefined || !ID_RE.test(id)) return undefined;
  if (parts.length === 1) return { type: undefined, id };
  const type = parts[parts.length - 2] as string;
  return TYPE_RE.test(type) ? { type, id } : undefined;
}

/**
 * Resolves a Reference element (`{ reference: … }`) to the id of a resource of `expectedType`.
 * Inside a Bundle, `targets` maps `fullUrl`s to their entries first.
 */
export function resolveReference(
  element: unknown,
  expectedType: string,
  targets?: ReferenceTargets,
): ReferenceResult {
  const obj = asObject(element);
  const ref = stringAt(obj, 'reference');
  if (ref === undefined) {
    // A reference by identifier or display only names no resource we can join on.
    return obj === undefined
      ? { ok: false, rule: 'missing reference' }
      : { ok: false, rule: 'unsupported reference' };
  }
  const target = targets?.byFullUrl(ref);
  if (target !== undefined) {
    return target.type === expectedType
      ? { ok: true, id: target.id }
      : { ok: false, rule: 'reference to another resource type' };
  }
  const parsed = parseReference(ref);
  if (parsed === undefined) return { ok: false, rule: 'unsupported reference' };
  if (parsed.type !== undefined && parsed.type !== expectedType) {
    return { ok: false, rule: 'reference to another resource type' };
  }
  return { ok: true, id: parsed.id };
}
