/** The public directory's shapes (`/api/v1/directory/projects`), as the server whitelists them. */

export type ProjectStatus = 'active' | 'closed';
export type ApplicationStatus =
  'draft' | 'submitted' | 'under_review' | 'approved' | 'rejected' | 'changes_requested';
export type PermitStatus = 'active' | 'suspended' | 'revoked' | 'expired';
export type AccessMode = 'aggregate_only' | 'workspace';

/** A table and the variables requested or allowed in it. */
export interface DataItem {
  readonly table: string;
  readonly variables: readonly string[];
}

/** One listed project. */
export interface DirectoryEntry {
  readonly projectId: string;
  readonly title: string;
  readonly purpose: string;
  readonly publicSummary: string;
  readonly status: ProjectStatus;
  readonly team: readonly { readonly displayName: string; readonly projectRole: string }[];
  readonly applicationStatus: ApplicationStatus;
  readonly dataUsed: readonly DataItem[];
  readonly permits: readonly {
    readonly permitId: string;
    readonly status: PermitStatus;
    readonly validFrom: string;
    readonly expiresAt: string;
    readonly accessMode: AccessMode;
    readonly data: readonly DataItem[];
  }[];
  readonly results: readonly {
    readonly title: string;
    readonly kind: string;
    readonly url: string | null;
    readonly publishedOn: string | null;
    readonly summary: string | null;
  }[];
}
