/**
 * French administrative geography with INSEE legal populations (from the Code officiel
 * géographique via @etalab/decoupage-administratif; see NOTICE): 101 départements (96
 * metropolitan and 5 overseas), 18 régions and their communes. Paris, Lyon and Marseille appear as
 * their municipal arrondissements.
 */
import { once, readSemicolonCsv } from './data-files.js';

/** A commune (or municipal arrondissement) with its INSEE code and legal population. */
export interface Commune {
  /** INSEE commune code, 5 characters (`75115`, `2A004`, `97411`). */
  code: string;
  name: string;
  /** Département code (`01`…`95`, `2A`, `2B`, `971`…`976`). */
  dept: string;
  /** Région code (`11`…`94`, `01`…`06`). */
  region: string;
  population: number;
  /** First postal code of the commune. */
  postalCode: string;
}

/** A département. */
export interface Departement {
  code: string;
  name: string;
  region: string;
  population: number;
  /** INSEE code of the prefecture commune. */
  chefLieu: string;
}

/** A région. */
export interface Region {
  code: string;
  name: string;
  population: number;
}

/** All communes, sorted by INSEE code. */
export const communes = once((): readonly Commune[] =>
  readSemicolonCsv('geography', 'communes.csv').map((r) => ({
    code: r.code ?? '',
    name: r.name ?? '',
    dept: r.dept ?? '',
    region: r.region ?? '',
    population: Number(r.population),
    postalCode: r.postal_code ?? '',
  })),
);

/** The 101 départements, sorted by code. */
export const departements = once((): readonly Departement[] =>
  readSemicolonCsv('geography', 'departements.csv').map((r) => ({
    code: r.code ?? '',
    name: r.name ?? '',
    region: r.region ?? '',
    population: Number(r.population),
    chefLieu: r.chef_lieu ?? '',
  })),
);

/** The 18 régions, sorted by code. */
export const regions = once((): readonly Region[] =>
  readSemicolonCsv('geography', 'regions.csv').map((r) => ({
    code: r.code ?? '',
    name: r.name ?? '',
    population: Number(r.population),
  })),
);

/**
 * The 3-character département code SNDS tables use (`BEN_RES_DPT`, `IR_DPT_V`): metropolitan codes
 * are zero-padded (`001`), Corsica is `201`/`202`, overseas keep their 3 digits (`971`).
 */
export function sndsDeptCode(dept: string): string {
  if (dept === '2A') return '201';
  if (dept === '2B') return '202';
  return dept.length === 3 ? dept : `0${dept}`;
}

/** Inverse of {@link sndsDeptCode}; returns null for codes that are not one of the 101 départements. */
export function deptFromSndsCode(code: string): string | null {
  // Corsica appears as 201/202 or 02A/02B depending on the extract.
  if (code === '201' || code === '02A') return '2A';
  if (code === '202' || code === '02B') return '2B';
  if (/^97[1-6]$/.test(code)) return code;
  if (
    /^0[0-9][0-9]$/.test(code) &&
    code !== '000' &&
    code !== '020' &&
    code !== '096' &&
    code !== '097' &&
    code !== '098' &&
    code !== '099'
  ) {
    return code.slice(1);
  }
  return null;
}

/**
 * The 3-digit commune part SNDS residence codes (`BEN_RES_COM`) and NIRs carry: the INSEE commune
 * code without its département prefix (`75115` → `115`, `97411` → `411`, `2A004` → `004`).
 */
export function communeSuffix(code: string): string {
  return code.slice(2);
}
