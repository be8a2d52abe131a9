/**
 * Which coding of a CodeableConcept to stage. FHIR lets a concept carry several codings (CIP13
 * and ATC for a drug, SNOMED CT and ICD-10 for a diagnosis); the warehouse keeps one per row, so
 * the connector picks the one Hygie can map best — French and WHO classifications first, then
 * LOINC, then anything else (SNOMED CT, RxNorm, CVX…), which the publish step keeps as a source
 * value with concept 0. Display texts and `CodeableConcept.text` are never read: free text may
 * carry identifiers.
 */
import { CodeSystems, undottedCim10 } from '@hygie/core';
import { arrayAt, asObject, stringAt, type JsonObject } from './fhir-json.js';

/** One coding as staged: the system URI as given (null when absent) and the code. */
export interface StagedCode {
  readonly system: string | null;
  readonly code: string;
}

/** ICD-10 family URIs besides the two in `CodeSystems` (ICD-10-CM, national variants, OIDs). */
const ICD10_URI_RE = /icd-?10|^urn:oid:2\.16\.840\.1\.113883\.6\.(3|90)$/i;
/** Other spellings of CIM-10 URIs (ATIH, ANS variants). */
const CIM10_URI_RE = /cim-?10/i;

const RANK_CIM10 = 0;
const RANK_ICD10 = 1;
const RANK_OTHER = 6;
const RANK_NO_SYSTEM = 7;

const FIXED_RANKS: ReadonlyMap<string, number> = new Map([
  [CodeSystems.cim10, RANK_CIM10],
  [CodeSystems.icd10, RANK_ICD10],
  [CodeSystems.ccam, 2],
  [CodeSystems.cip13, 3],
  [CodeSystems.atc, 4],
  [CodeSystems.loinc, 5],
]);

/** Preference rank of a code system: lower is better. */
export function systemRank(system: string | null): number {
  if (system === null) return RANK_NO_SYSTEM;
  const fixed = FIXED_RANKS.get(system);
  if (fixed !== undefined) return fixed;
  if (CIM10_URI_RE.test(system)) return RANK_CIM10;
  if (ICD10_URI_RE.test(system)) return RANK_ICD10;
  return RANK_OTHER;
}

/** True for CIM-10 and ICD-10 systems, whose codes are staged undotted. */
export function isIcd10Family(system: string | null): boolean {
  const rank = systemRank(system);
  return rank === RANK_CIM10 || rank === RANK_ICD10;
}

function stagedCoding(value: unknown): (StagedCode & { rank: number }) | undefined {
  const coding = asObject(value);
  const raw = stringAt(coding, 'code');
  if (raw === undefined) return undefined;
  const system = stringAt(coding, 'system') ?? null;
  const code = isIcd10Family(system) ? undottedCim10(raw) : raw;
  return { system, code, rank: systemRank(system) };
}

/**
 * The codings of a CodeableConcept, best first (stable: among equal ranks, the source's order),
 * without duplicates. Codings without a code are skipped.
 */
export function rankedCodings(concept: JsonObject | undefined): StagedCode[] {
  const all = arrayAt(concept, 'coding')
    .map(stagedCoding)
    .filter((c): c is StagedCode & { rank: number } => c !== undefined);
  all.sort((a, b) => a.rank - b.rank);
  const seen = new Set<string>();
  const out: StagedCode[] = [];
  for (const c of all) {
    const key = `${c.system ?? ''}|${c.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ system: c.system, code: c.code });
  }
  return out;
}

/**
 * The preferred coding of a CodeableConcept, or undefined when it has none with a code. A single
 * scan rather than a sort: it runs for every code of every resource.
 */
export function preferredCoding(concept: JsonObject | undefined): StagedCode | undefined {
  let best: (StagedCode & { rank: number }) | undefined;
  for (const element of arrayAt(concept, 'coding')) {
    const c = stagedCoding(element);
    if (c !== undefined && (best === undefined || c.rank < best.rank)) best = c;
  }
  return best === undefined ? undefined : { system: best.system, code: best.code };
}

/** The preferred coding and the best coding of another system (e.g. ATC next to CIP13). */
export function codingPair(concept: JsonObject | undefined): {
  main: StagedCode | undefined;
  alt: StagedCode | undefined;
} {
  const ranked = rankedCodings(concept);
  const main = ranked[0];
  const alt = main === undefined ? undefined : ranked.find((c) => c.system !== main.system);
  return { main, alt };
}

/** The preferred coding of the first CodeableConcept of a list that has one (`Encounter.type`). */
export function firstPreferredCoding(concepts: readonly unknown[]): StagedCode | undefined {
  for (const c of concepts) {
    const coding = preferredCoding(asObject(c));
    if (coding !== undefined) return coding;
  }
  return undefined;
}
