/**
 * Patient → `stg_fhir_patient`. Only what the warehouse may hold after pseudonymisation is read:
 * the person identifier (to be pseudonymised at publish), gender, birth year and month, the INSEE
 * commune of the current address and the death date. Names, telecom, address lines, city, postal
 * code and the day of birth are never read into a row — not even for staging (DESIGN.md §4.1).
 */
import {
  CodeSystems,
  INSEE_ADDRESS_EXTENSION,
  SOURCE_PSEUDONYM_RE,
  normaliseNir,
} from '@hygie/core';
import { arrayAt, asObject, has, objectAt, stringAt, type JsonObject } from './fhir-json.js';
import { isoDay, parseFhirDate } from './fhir-dates.js';
import type { ResourceMapping } from './fhir-mapping.js';

const GENDERS = new Set(['male', 'female', 'other', 'unknown']);

/** INSEE commune code: 5 characters, `2A`/`2B` for Corsica, overseas `97xxx`. */
const INSEE_COMMUNE_RE = /^(?:[0-9]{2}|2[AB])[0-9]{3}$/;

type Identity = { kind: 'nir' | 'nir_p1' | 'local'; value: string };

/**
 * The person identifier: a valid INS-NIR (13-character body), else a source pseudonym, else the
 * Patient's own id (linked within this source only). A malformed NIR or pseudonym is a problem,
 * and its value is never staged.
 */
function identity(p: JsonObject, id: string | undefined, m: ResourceMapping): Identity | null {
  let nir: string | undefined;
  let p1: string | undefined;
  let bad = false;
  for (const element of arrayAt(p, 'identifier')) {
    const identifier = asObject(element);
    const system = stringAt(identifier, 'system');
    const value = stringAt(identifier, 'value');
    if (value === undefined) continue;
    if (system === CodeSystems.insNir) {
      const body = normaliseNir(value);
      if (body === null) {
        m.fail('identifier', 'invalid NIR');
        bad = true;
      } else if (nir !== undefined && nir !== body) {
        m.fail('identifier', 'conflicting NIR');
        bad = true;
      } else nir = body;
    } else if (system === CodeSystems.nirSourcePseudonym) {
      const upper = value.toUpperCase();
      if (!SOURCE_PSEUDONYM_RE.test(upper)) {
        m.fail('identifier', 'invalid source pseudonym');
        bad = true;
      } else if (p1 !== undefined && p1 !== upper) {
        m.fail('identifier', 'conflicting source pseudonym');
        bad = true;
      } else p1 = upper;
    }
  }
  if (bad) return null;
  if (nir !== undefined) return { kind: 'nir', value: nir };
  if (p1 !== undefined) return { kind: 'nir_p1', value: p1 };
  if (id !== undefined) return { kind: 'local', value: id };
  m.fail('id', 'missing identifier');
  return null;
}

/**
 * The current address: `use` home without an end date first, then any address without an end
 * date that is not marked `old`, then a home address with an end date.
 */
function currentAddress(p: JsonObject): JsonObject | undefined {
  let best: JsonObject | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const element of arrayAt(p, 'address')) {
    const address = asObject(element);
    if (address === undefined) continue;
    const use = stringAt(address, 'use');
    const ended = has(objectAt(address, 'period'), 'end');
    const rank =
      use === 'home' && !ended ? 0 : !ended && use !== 'old' ? 1 : use === 'home' ? 2 : -1;
    if (rank >= 0 && rank < bestRank) {
      best = address;
      bestRank = rank;
    }
  }
  return best;
}

function inseeCommune(p: JsonObject, m: ResourceMapping): string | null {
  const address = currentAddress(p);
  for (const element of arrayAt(address, 'extension')) {
    const ext = asObject(element);
    if (stringAt(ext, 'url') !== INSEE_ADDRESS_EXTENSION) continue;
    const code =
      stringAt(objectAt(ext, 'valueCoding'), 'code') ??
      stringAt(ext, 'valueCode') ??
      stringAt(ext, 'valueString');
    if (code !== undefined && INSEE_COMMUNE_RE.test(code)) return code;
    m.fail('address', 'invalid INSEE commune code');
    return null;
  }
  return null;
}

/** Maps a Patient; `id` is its effective id (its `id`, or the Bundle entry's `urn:uuid`). */
export function mapPatient(p: JsonObject, id: string | undefined, m: ResourceMapping): void {
  const ident = identity(p, id, m);

  const genderValue = stringAt(p, 'gender');
  let gender: string | null = null;
  if (genderValue !== undefined) {
    if (GENDERS.has(genderValue)) gender = genderValue;
    else m.fail('gender', 'invalid code');
  }

  // Year and month only: the day of birth is a direct identifier and is never kept.
  let birthYear: number | null = null;
  let birthMonth: number | null = null;
  const birth = parseFhirDate(p['birthDate']);
  if (birth.kind === 'invalid') m.fail('birthDate', 'invalid date');
  else if (birth.kind === 'date') {
    birthYear = birth.date.year;
    birthMonth = birth.date.month;
  }

  const commune = inseeCommune(p, m);

  let deathDate: string | null = null;
  const death = parseFhirDate(p['deceasedDateTime']);
  if (death.kind === 'invalid') m.fail('deceasedDateTime', 'invalid date');
  else if (death.kind === 'date') deathDate = isoDay(death.date);

  m.add('stg_fhir_patient', {
    fhir_id: id ?? null,
    ident_kind: ident?.kind ?? null,
    ident_value: ident?.value ?? null,
    gender,
    birth_year: birthYear,
    birth_month: birthMonth,
    insee_commune: commune,
    death_date: deathDate,
  });
}
