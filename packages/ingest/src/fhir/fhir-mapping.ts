/**
 * What mapping one resource produces, and the shared steps every mapper uses: resolving
 * references, reading dates, and noting the first problem found.
 *
 * A resource is staged all or nothing: the first problem noted is written on every row the
 * resource yields, so the resource is either wholly good or wholly quarantined.
 */
import type { StagedCode } from './fhir-codings.js';
import { eventDay } from './fhir-dates.js';
import { resolveReference, type ReferenceTargets } from './fhir-references.js';
import type { FhirStagingRow, FhirStagingTable } from './fhir-staging-tables.js';

/** Why a resource goes to quarantine: the element at fault and a fixed rule text. */
export interface FhirProblem {
  readonly field: string;
  readonly rule: string;
}

/** One staging row and its table. */
export type MappedRow = {
  [T in FhirStagingTable]: { readonly table: T; readonly row: FhirStagingRow<T> };
}[FhirStagingTable];

/** The codes of a `Medication` resource: its preferred coding and one of another system. */
export interface MedicationCodes {
  readonly main: StagedCode;
  readonly alt: StagedCode | undefined;
}

/** What the reader knows around a resource (its Bundle, if any). */
export interface MappingContext {
  /** Resolves references by Bundle `fullUrl`; absent for NDJSON. */
  readonly targets?: ReferenceTargets;
  /** The codes of a Medication of the same Bundle, by reference string; absent for NDJSON. */
  readonly medication?: (reference: string) => MedicationCodes | undefined;
}

/** The rows of one resource and its problem, if any. */
export class ResourceMapping {
  /** The first problem noted, or null. */
  problem: FhirProblem | null = null;
  readonly rows: MappedRow[] = [];

  constructor(readonly context: MappingContext) {}

  /** Notes a problem; only the first one is kept (it is what the operator fixes first). */
  fail(field: string, rule: string): void {
    if (this.problem === null) this.problem = { field, rule };
  }

  /** Adds a row of `table`. */
  add<T extends FhirStagingTable>(table: T, row: FhirStagingRow<T>): void {
    this.rows.push({ table, row } as MappedRow);
  }

  /**
   * The id a Reference element points to, or null. An unresolvable reference is a problem when
   * the element is present, or when it is absent and `required`.
   */
  reference(element: unknown, field: string, type: string, required: boolean): string | null {
    if ((element === undefined || element === null) && !required) return null;
    const r = resolveReference(element, type, this.context.targets);
    if (r.ok) return r.id;
    this.fail(field, r.rule);
    return null;
  }

  /** The patient a resource is about: required, always reported under `subject`. */
  subject(element: unknown): string | null {
    return this.reference(element, 'subject', 'Patient', true);
  }

  /** An event date (`YYYY-MM-DD`) or null; an unreadable value is a problem. */
  date(value: unknown, field: string): string | null {
    const day = eventDay(value);
    if (day === 'invalid') {
      this.fail(field, 'invalid date');
      return null;
    }
    return day;
  }

  /** The first present date among candidate elements, in order; a problem if none is present. */
  requiredDate(candidates: readonly [field: string, value: unknown][]): string | null {
    for (const [field, value] of candidates) {
      if (value === undefined || value === null) continue;
      return this.date(value, field);
    }
    this.fail(candidates[0]?.[0] ?? 'date', 'missing date');
    return null;
  }

  /** A number, or null; a value of another JSON type is a problem. */
  number(value: unknown, field: string): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.fail(field, 'invalid number');
    return null;
  }
}
