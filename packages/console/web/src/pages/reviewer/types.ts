/** The shapes the committee and airlock pages read from the API (docs/api.md). */

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'under_review',
  'approved',
  'rejected',
  'changes_requested',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export type ReviewDecision = 'approve' | 'reject' | 'changes_requested';

export interface DataItem {
  readonly table: string;
  readonly variables: readonly string[];
}

export interface Population {
  readonly ageRange?: { readonly min: number; readonly max: number };
  readonly sex?: readonly string[];
  readonly departements?: readonly string[];
  readonly regions?: readonly string[];
  readonly conditions?: readonly {
    readonly name: string;
    readonly conceptIds: readonly number[];
  }[];
}

export interface ApplicationContent {
  readonly data: readonly DataItem[];
  readonly population: Population;
  readonly period: { readonly from: string; readonly to: string };
  readonly durationMonths: number;
  readonly accessMode: 'aggregate_only' | 'workspace';
  readonly justification: string;
  readonly requestedEpsilon: number;
}

export interface Application {
  readonly id: string;
  readonly projectId: string;
  readonly version: number;
  readonly status: ApplicationStatus;
  readonly content: ApplicationContent;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly decidedAt: string | null;
}

export interface ApplicationEvent {
  readonly id: number;
  readonly version: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly event: string;
  readonly fromStatus: ApplicationStatus | null;
  readonly toStatus: ApplicationStatus;
  readonly reason: string | null;
}

export interface Review {
  readonly id: string;
  readonly version: number;
  readonly reviewerId: string;
  readonly decision: ReviewDecision;
  readonly comment: string | null;
  readonly createdAt: string;
}

export interface ApplicationVersion {
  readonly version: number;
  readonly content: ApplicationContent;
  readonly submittedBy: string;
  readonly submittedAt: string;
}

export interface Project {
  readonly id: string;
  readonly title: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly funding: string | null;
  readonly publicSummary: string;
  readonly team: readonly {
    readonly userId: string;
    readonly displayName: string;
    readonly projectRole: string;
  }[];
}

export interface Permit {
  readonly id: string;
  readonly status: string;
  readonly validFrom: string;
  readonly expiresAt: string;
  readonly epsilonBudget: number;
  readonly epsilonSpent: number;
  readonly minCellSize: number;
  readonly issuedAt: string;
  readonly scope: { readonly accessMode: string; readonly data: readonly DataItem[] };
}

export interface ReviewOutcome {
  readonly application: Application;
  readonly review: Review;
  readonly approvals: number;
  readonly requiredApprovals: number;
  readonly permit: Permit | null;
}

/** Disclosure control report of one released table (core `DisclosureReport`). */
export interface TableReport {
  readonly measure: string;
  readonly guarantee: 'sdc' | 'dp' | 'sdc+noise';
  readonly minCellSize: number;
  readonly suppressZero: boolean;
  readonly dominanceRules: readonly {
    readonly kind: string;
    readonly n?: number;
    readonly k?: number;
    readonly p?: number;
  }[];
  readonly roundingBase: number | null;
  readonly positions: {
    readonly total: number;
    readonly released: number;
    readonly withheld: number;
  };
  readonly cells: { readonly total: number; readonly released: number; readonly withheld: number };
  readonly withheldBy?: Readonly<
    Record<string, { readonly positions: number; readonly cells: number }>
  >;
  readonly withheld?: readonly {
    readonly strata: Record<string, string | null>;
    readonly reason: string;
  }[];
  readonly secondary?: { readonly audit: string; readonly unprotectable: readonly unknown[] };
  readonly differencing: {
    readonly applied: boolean;
    readonly tooClose: number;
    readonly action: string;
  };
  readonly dp: {
    readonly mode: string;
    readonly mechanism: string;
    readonly cost: { readonly epsilon: number; readonly delta?: number };
  } | null;
}

export interface RunDisclosure {
  readonly policy: { readonly minCellSize: number; readonly roundingBase: number | null };
  readonly tables: readonly TableReport[];
  readonly attrition: { readonly withheld: number; readonly reason: string | null };
}

export interface ReleaseRequest {
  readonly id: string;
  readonly runId: string;
  readonly projectId: string;
  readonly permitId: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly justification: string;
  readonly status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionComment: string | null;
  readonly release: {
    readonly id: string;
    readonly releasedAt: string;
    readonly contentHash: string;
  } | null;
  readonly disclosure?: RunDisclosure | null;
  /** The project's public title (in the airlock queue). */
  readonly projectTitle?: string | null;
}

export interface ResultCell {
  readonly strata: Record<string, string | null>;
  readonly measure: string;
  readonly value: number | null;
  readonly persons?: number | null;
  readonly suppressed: boolean;
}

export interface ResultTable {
  readonly measure: string;
  readonly kind: string;
  readonly dimensions: readonly string[];
  readonly cells: readonly ResultCell[];
}

export interface QueryRun {
  readonly id: string;
  readonly projectId: string;
  readonly status: string;
  readonly epsilon: number;
  readonly delta: number;
  readonly durationMs: number;
  readonly finishedAt: string;
  readonly query: { readonly period?: { readonly from: string; readonly to: string } };
  readonly result: {
    readonly tables: readonly ResultTable[];
    readonly attrition: readonly {
      readonly step?: string;
      readonly persons?: number | null;
      readonly suppressed?: boolean;
    }[];
    readonly disclosure: RunDisclosure;
  } | null;
}
