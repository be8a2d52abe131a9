/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so that a hash
 * or a signature over an entry can be recomputed by anyone from the entry alone, whatever tool
 * re-serialised it. This is the strict canonical form of the transparency log; the older
 * `canonicalJson` of the query model (query hashes) is deliberately left as it is, because
 * changing it would change every stored query hash.
 */
import { HygieError } from '../errors.js';

/**
 * Serialises `value` in RFC 8785 canonical form: object keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript shortest form (-0 → `0`), strings escaped as
 * `JSON.stringify` does. Refuses (HYG_INVALID_ARGUMENT) what JSON cannot carry exactly:
 * non-finite numbers, `undefined`, functions, symbols, bigints, lone surrogates (not I-JSON,
 * RFC 7493), objects that are not plain (Date, Map, class instances: their JSON form would depend
 * on a `toJSON` the reader does not have) and cycles.
 */
export function jcs(value: unknown): string {
  return serialise(value, '$', new Set());
}

// A lone (unpaired) surrogate: I-JSON forbids it and RFC 8785 requires I-JSON input.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function refuse(path: string, why: string): never {
  throw new HygieError('HYG_INVALID_ARGUMENT', `canonical JSON: ${path}: ${why}`, {
    argument: path,
  });
}

function serialiseString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) refuse(path, 'string with an unpaired surrogate');
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 requires (\b \t \n \f \r, other
  // controls as \u00xx lower-case, `"` and `\`; everything else literal).
  return JSON.stringify(s);
}

function serialise(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serialiseString(value, path);
    case 'number':
      if (!Number.isFinite(value)) refuse(path, 'non-finite number');
      // ECMAScript Number::toString is the RFC 8785 number form; JSON.stringify(-0) is "0".
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      refuse(path, `${typeof value} has no JSON form`);
  }
  if (value === null) return 'null';
  if (seen.has(value)) refuse(path, 'cycle');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const parts: string[] = [];
      for (let i = 0; i < value.length; i++) {
        // A hole reads as undefined and is refused like an explicit undefined.
        parts.push(serialise(value[i] as unknown, `${path}[${i}]`, seen));
      }
      return `[${parts.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) refuse(path, 'not a plain object');
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 specifies.
    const keys = Object.keys(record).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const keyPath = `${path}.${k}`;
      parts.push(`${serialiseString(k, keyPath)}:${serialise(record[k], keyPath, seen)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}
