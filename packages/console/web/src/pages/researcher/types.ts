/**
 * The shapes the researcher pages read from the API (see docs/api.md and the route schemas in
 * packages/server/src/routes). Only the fields the pages use are typed.
 */

/** A count under disclosure control: `value` null when withheld. */
export interface ControlledCount {
  readonly value: number | null;
  readonly suppressed: boolean;
}

export interface TeamMember {
  readonly userId: string;
  readonly displayName: string;
  readonly projectRole: string;
  readonly addedAt: string;
}

export interface Project {
  readonly id: string;
  readonly title: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly funding: string | null;
  readonly publicSummary: string;
  readonly status: string;
  readonly createdAt: string;
  readonly team: readonly TeamMember[];
}

export interface DataItem {
  readonly table: string;
  readonly variables: readonly string[];
}

export interface PopulationFilters {
  readonly ageRange?: { readonly min: number; readonly max: number };
  readonly sex?: readonly ('female' | 'male')[];
  readonly departements?: readonly string[];
  readonly regions?: readonly string[];
}

export type AccessMode = 'aggregate_only' | 'workspace';

export interface ApplicationContent {
  readonly data: readonly DataItem[];
  readonly population: PopulationFilters;
  readonly period: { readonly from: string; readonly to: string };
  readonly durationMonths: number;
  readonly accessMode: AccessMode;
  readonly justification: string;
  readonly requestedEpsilon: number;
}

export interface Application {
  readonly id: string;
  readonly projectId: string;
  readonly version: number;
  readonly status: string;
  readonly content: ApplicationContent;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly decidedAt: string | null;
}

export interface Permit {
  readonly id: string;
  readonly applicationId: string;
  readonly projectId: string;
  readonly scope: {
    readonly data: readonly DataItem[];
    readonly period: { readonly from: string; readonly to: string };
    readonly accessMode: AccessMode;
  };
  readonly validFrom: string;
  readonly expiresAt: string;
  readonly status: string;
  readonly epsilonBudget: number;
  readonly epsilonSpent: number;
  readonly minCellSize: number;
  readonly issuedAt: string;
}

export interface CatalogueVariable {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly description: string;
}

export interface CatalogueTable {
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly personLevel: boolean;
  readonly variables: readonly CatalogueVariable[];
}

export interface Catalogue {
  readonly cdmVersion: string;
  readonly minCellSize: number;
  readonly tables: readonly CatalogueTable[];
}

export interface TopValue {
  readonly value: string;
  readonly count: number;
  readonly concept?: {
    readonly code: string;
    readonly vocabulary: string;
    readonly name: string;
  } | null;
}

export type Quantile = number | string | null;

export interface VariableStats {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly nonNull: ControlledCount;
  readonly completeness: number | null;
  readonly completenessSuppressed: boolean;
  readonly distinct: number | null;
  readonly topValues: readonly TopValue[] | null;
  readonly rareValues: number | null;
  readonly quantiles: {
    readonly p5: Quantile;
    readonly p25: Quantile;
    readonly p50: Quantile;
    readonly p75: Quantile;
    readonly p95: Quantile;
  } | null;
}

export interface TableStats {
  readonly table: string;
  readonly kind: string;
  readonly rows: ControlledCount;
  readonly minCellSize: number;
  readonly optOutsExcluded: boolean;
  readonly dataAsOf: string | null;
  readonly computedAt: string;
  readonly cached: boolean;
  readonly variables: readonly VariableStats[];
}

export interface Concept {
  readonly conceptId: number;
  readonly code: string;
  readonly name: string;
  readonly vocabulary: string;
  readonly conceptClass: string;
  readonly domain: string;
  /** `S` for a standard concept (OMOP), as the vocabulary tables write it. */
  readonly standard: string | boolean | null;
  readonly descendants: number;
}

/** A cell value under disclosure control, as a released table carries it. */
export type Strata = Readonly<Record<string, string | number | boolean | null>>;

export interface ReleaseRequest {
  readonly id: string;
  readonly runId: string;
  readonly projectId: string;
  readonly permitId: string;
  readonly requestedAt: string;
  readonly justification: string;
  readonly status: string;
  readonly decisionComment: string | null;
  readonly release: { readonly id: string; readonly releasedAt: string } | null;
}

/** The answer of `POST /api/v1/projects/:projectId/queries`. */
export interface QueryRunAnswer {
  readonly runId: string;
  readonly queryHash: string;
  readonly status: string;
  readonly epsilon: number;
  readonly delta: number;
  readonly result: {
    readonly tables: readonly Record<string, unknown>[];
    readonly attrition: readonly Record<string, unknown>[];
    readonly disclosure: Record<string, unknown> | null;
  } | null;
}
