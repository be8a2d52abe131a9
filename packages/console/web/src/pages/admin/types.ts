/** The shapes the administrators' pages read from the API (docs/api.md § Operations, § Accounts). */

export interface Batch {
  readonly batchId: string;
  readonly source: string;
  readonly format: string;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  readonly keyId: string | null;
  readonly platformKeyVersion: number | null;
  readonly contentHash: string | null;
  readonly sourceTables: Record<
    string,
    { readonly read: number; readonly loaded: number; readonly quarantined: number }
  > | null;
  readonly cdmRows: Record<string, number> | null;
  readonly quarantined: number | null;
}

export interface BatchPage {
  readonly total: number;
  readonly batches: readonly Batch[];
}

export interface Quarantine {
  readonly batchId: string;
  readonly total: number;
  readonly rules: readonly {
    readonly sourceTable: string;
    readonly field: string | null;
    readonly rule: string;
    readonly count: number;
  }[];
  readonly records: readonly {
    readonly path: string;
    readonly line: number | null;
    readonly sourceTable: string;
    readonly field: string | null;
    readonly rule: string;
  }[];
}

export interface KeyStatus {
  readonly keyRing: {
    readonly keyId: string;
    readonly platformKeyVersion: number;
    readonly createdAt: string;
  };
  readonly sourceKey: {
    readonly exported: boolean;
    readonly exports: number;
    readonly lastExportedAt: string | null;
  };
  readonly warehouse: {
    readonly keyId: string | null;
    readonly platformKeyVersion: number | null;
    readonly matchesKeyRing: boolean | null;
    readonly keys: readonly {
      readonly keyId: string;
      readonly platformKeyVersions: readonly number[];
      readonly batches: number;
      readonly firstUsedAt: string;
      readonly lastUsedAt: string;
    }[];
  };
}

/** Roles an administrator may give an account (`citizen` is not an account's role). */
export const ACCOUNT_ROLES = [
  'admin',
  'researcher',
  'reviewer',
  'output_checker',
  'analyst',
  'auditor',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface User {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly createdAt: string;
  readonly disabledAt: string | null;
  readonly lockedUntil: string | null;
  readonly failedAttempts: number;
  readonly hasPassword: boolean;
}
