/**
 * Reads a `.json` FHIR file: a Bundle (transaction, batch, collection, searchset or document) or
 * a single resource. A Bundle is read whole — its references are resolved by `fullUrl` across
 * entries, so all entries must be known — which bounds memory by the largest Bundle, not by the
 * whole input (Synthea writes one Bundle per patient).
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { arrayAt, asObject, has, resourceTypeOf, stringAt, type JsonObject } from './fhir-json.js';
import type { MappingContext, MedicationCodes } from './fhir-mapping.js';
import { medicationResourceCodes } from './fhir-medication-mapper.js';
import { parseReference, type ReferenceTargets } from './fhir-references.js';

const gunzipAsync = promisify(gunzip);

/** Bundle types whose entries are resources to ingest. */
export const INGESTED_BUNDLE_TYPES: readonly string[] = [
  'transaction',
  'batch',
  'collection',
  'searchset',
  'document',
];

/** One Bundle entry: its 1-based index, its resource (if any) and the resource's effective id. */
export interface BundleEntry {
  readonly index: number;
  readonly resource: unknown;
  readonly id: string | undefined;
}

/** What a `.json` file turned out to hold. */
export type JsonFileContent =
  | {
      readonly kind: 'invalid';
      readonly field: string;
      readonly rule: string;
      readonly type: string | null;
    }
  | {
      readonly kind: 'bundle';
      readonly entries: readonly BundleEntry[];
      readonly context: MappingContext;
    }
  | { readonly kind: 'resource'; readonly resource: JsonObject };

/** The id a `fullUrl` gives a resource: the tail of `urn:uuid:`/`urn:oid:`, or the URL's id. */
export function idFromFullUrl(fullUrl: string | undefined): string | undefined {
  return fullUrl === undefined ? undefined : parseReference(fullUrl)?.id;
}

/** The reference-resolution context of a Bundle's entries. */
function bundleContext(
  entries: readonly BundleEntry[],
  fullUrls: readonly (string | undefined)[],
): MappingContext {
  const byUrl = new Map<string, { type: string; id: string }>();
  const medications = new Map<string, MedicationCodes>();
  entries.forEach((entry, i) => {
    const resource = asObject(entry.resource);
    const type = resource === undefined ? undefined : resourceTypeOf(resource);
    if (resource === undefined || type === undefined || entry.id === undefined) return;
    const fullUrl = fullUrls[i];
    if (fullUrl !== undefined) byUrl.set(fullUrl, { type, id: entry.id });
    if (type === 'Medication') {
      const codes = medicationResourceCodes(resource);
      if (codes === undefined) return;
      if (fullUrl !== undefined) medications.set(fullUrl, codes);
      medications.set(`Medication/${entry.id}`, codes);
    }
  });
  const targets: ReferenceTargets = { byFullUrl: (url) => byUrl.get(url) };
  return {
    targets,
    medication: (reference) => {
      const direct = medications.get(reference);
      if (direct !== undefined) return direct;
      const parsed = parseReference(reference);
      if (parsed === undefined || (parsed.type ?? 'Medication') !== 'Medication') return undefined;
      return medications.get(`Medication/${parsed.id}`);
    },
  };
}

/** Parses the text of a `.json` FHIR file. */
export function parseJsonFile(text: string): JsonFileContent {
  let root: unknown;
  try {
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { kind: 'invalid', field: 'json', rule: 'invalid JSON', type: null };
  }
  const obj = asObject(root);
  if (obj === undefined)
    return { kind: 'invalid', field: 'json', rule: 'not a JSON object', type: null };
  const type = resourceTypeOf(obj);
  if (type === undefined) {
    const rule = has(obj, 'resourceType') ? 'invalid resourceType' : 'missing resourceType';
    return { kind: 'invalid', field: 'resourceType', rule, type: null };
  }
  if (type !== 'Bundle') return { kind: 'resource', resource: obj };
  const bundleType = stringAt(obj, 'type');
  if (bundleType === undefined || !INGESTED_BUNDLE_TYPES.includes(bundleType)) {
    return {
      kind: 'invalid',
      field: 'Bundle.type',
      rule: 'unsupported Bundle type',
      type: 'Bundle',
    };
  }
  const fullUrls: (string | undefined)[] = [];
  const entries = arrayAt(obj, 'entry').map((element, i): BundleEntry => {
    const entry = asObject(element);
    const resource = entry?.['resource'];
    const fullUrl = stringAt(entry, 'fullUrl');
    fullUrls.push(fullUrl);
    const id = stringAt(asObject(resource), 'id') ?? idFromFullUrl(fullUrl);
    return { index: i + 1, resource, id };
  });
  return { kind: 'bundle', entries, context: bundleContext(entries, fullUrls) };
}

/** Reads and parses a `.json` (or `.json.gz`) FHIR file. Throws when it cannot be read. */
export async function readJsonFile(path: string, gzip: boolean): Promise<JsonFileContent> {
  const raw = await readFile(path);
  const bytes = gzip ? await gunzipAsync(raw) : raw;
  return parseJsonFile(bytes.toString('utf8'));
}
