/**
 * Safe access to parsed FHIR JSON. Source files are untrusted: any element may be missing or of
 * the wrong JSON type, so every read goes through these narrowing helpers instead of casts.
 */

/** A parsed JSON object (a resource or one of its elements). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The value as an object, or undefined when it is not a (non-array) object. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** The value as an array (a single value counts as a one-element array, as some tools write). */
export function asArray(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** The value as a non-empty, trimmed string, or undefined. */
export function asString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  return s.length > 0 ? s : undefined;
}

/** A string element of an object. */
export function stringAt(obj: JsonObject | undefined, key: string): string | undefined {
  return obj === undefined ? undefined : asString(obj[key]);
}

/** An object element of an object. */
export function objectAt(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  return obj === undefined ? undefined : asObject(obj[key]);
}

/** An array element of an object (empty when absent). */
export function arrayAt(obj: JsonObject | undefined, key: string): readonly unknown[] {
  return obj === undefined ? [] : asArray(obj[key]);
}

/** True when the object has the key with a value other than null. */
export function has(obj: JsonObject | undefined, key: string): boolean {
  return obj !== undefined && obj[key] !== undefined && obj[key] !== null;
}

/** Shape of a FHIR resource type name (`Patient`, `MedicationRequest`). */
const RESOURCE_TYPE_RE = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * The resource type of a parsed value, when it looks like one: a source value that is not shaped
 * like a type name is never echoed into a staging table.
 */
export function resourceTypeOf(value: JsonObject): string | undefined {
  const t = value['resourceType'];
  return typeof t === 'string' && RESOURCE_TYPE_RE.test(t) ? t : undefined;
}
