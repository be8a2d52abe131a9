/**
 * The NIR (numéro d'inscription au répertoire, French social-security number): 13 characters and
 * a 2-digit key, key = 97 − (number mod 97). Corsican départements 2A and 2B count as 19 and 18 in
 * the key computation. Pure functions only: building, checking and normalising NIRs.
 */
import { HygieError } from './errors.js';

/** The parts of a NIR. */
export interface NirParts {
  /** 1 = male, 2 = female. */
  sex: 1 | 2;
  /** Birth year, 4 digits (the NIR keeps the last two). */
  birthYear: number;
  /** Birth month 1–12. */
  birthMonth: number;
  /**
   * Birth place: for a birth in metropolitan France, the département (2 characters, `2A`/`2B` for
   * Corsica) and the commune (3 digits); for overseas, `97`/`98` and 3 digits; abroad, `99` and the
   * INSEE country code.
   */
  placeDept: string;
  placeCommune: string;
  /** Order number of the birth in the commune and month, 1–999. */
  order: number;
}

const NIR_RE = /^[12][0-9]{2}(0[1-9]|1[0-2]|[2-9][0-9])(?:[0-9]{2}|2A|2B)[0-9]{3}[0-9]{3}[0-9]{2}$/;

function numericBody(body13: string): number {
  // 2A and 2B are replaced by 19 and 18 for the key computation (INSEE rule).
  const digits = body13.replace('2A', '19').replace('2B', '18');
  return Number(digits);
}

/** The NIR key of a 13-character body: 97 − (number mod 97), as 2 digits. */
export function nirKey(body13: string): string {
  const key = 97 - (numericBody(body13) % 97);
  return key < 10 ? `0${key}` : String(key);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Builds the 15-character NIR (13-character body + key) from its parts. */
export function buildNir(p: NirParts): string {
  if (p.placeDept.length !== 2 || p.placeCommune.length !== 3) {
    throw new HygieError('HYG_INVALID_NIR', 'NIR birth place must be 2 + 3 characters');
  }
  if (p.order < 1 || p.order > 999)
    throw new HygieError('HYG_INVALID_NIR', 'NIR order out of range');
  const body =
    String(p.sex) +
    pad(p.birthYear % 100, 2) +
    pad(p.birthMonth, 2) +
    p.placeDept +
    p.placeCommune +
    pad(p.order, 3);
  return body + nirKey(body);
}

/**
 * Normalises a NIR as sources write it: removes spaces, dots and dashes, upper-cases, and drops the
 * key if present. Returns the 13-character body, or null when the value is not a NIR. A present key
 * must be correct.
 */
export function normaliseNir(raw: string): string | null {
  const s = raw.replace(/[\s.-]/g, '').toUpperCase();
  if (s.length === 13) {
    return NIR_RE.test(s + nirKey(s)) ? s : null;
  }
  if (s.length === 15) {
    const body = s.slice(0, 13);
    return NIR_RE.test(s) && nirKey(body) === s.slice(13) ? body : null;
  }
  return null;
}

/** True when `nir` is a well-formed 15-character NIR with a correct key. */
export function isValidNir(nir: string): boolean {
  return nir.length === 15 && NIR_RE.test(nir) && nirKey(nir.slice(0, 13)) === nir.slice(13);
}

/**
 * A pattern that finds NIR-shaped strings inside text (with or without key, with optional
 * separators). Used by the leak scanners that check no identifier reached the warehouse.
 */
export const NIR_SEARCH_PATTERN =
  /[12][\s.]?[0-9]{2}[\s.]?(?:0[1-9]|1[0-2])[\s.]?(?:[0-9]{2}|2A|2B)[\s.]?[0-9]{3}[\s.]?[0-9]{3}(?:[\s.]?[0-9]{2})?/g;
